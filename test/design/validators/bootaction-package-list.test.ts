import { describe, expect, it } from 'vitest';
import type { BootActionAsset } from '../../../src/design/model.ts';
import { bootactionPackageList } from '../../../src/design/validators/bootaction-package-list.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeAsset, makeBootAction, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };
const asset = (over: Partial<BootActionAsset>): BootActionAsset => makeAsset({ type: 'pkg_list', path: null, ...over });
const run = (...assets: BootActionAsset[]) =>
  executeRule(bootactionPackageList, siteOf({ bootActions: [makeBootAction('pkgs', { assets })] }), ctx);
const packages = (packageList: Record<string, string | null>) => run(asset({ packageList }));

describe('Bootaction pkg_list Validation (DD4002)', () => {
  it("keeps Drydock's code and long name (DD4002 is shared with Valid Libvirt Configuration in Drydock)", () => {
    expect([bootactionPackageList.code, bootactionPackageList.longName]).toEqual(['DD4002', 'Bootaction pkg_list Validation']);
  });

  it('passes Debian names with versions, null versions and epochs', () => {
    const messages = packages({
      'openssh-server': '1:7.6p1-4ubuntu0.3',
      'libstdc++6': '8.4.0-1ubuntu1~18.04',
      'python3.8': null,
      curl: '',
      'libc6:i386': '2.27-3ubuntu1',
    });
    expect(messages.map((m) => m.level)).toEqual(['Info']);
  });

  it('accepts a version without a Debian revision (Drydock required one)', () => {
    expect(packages({ docker: '1.13.1', kubeadm: '2:1.10.2' })[0]?.level).toBe('Info');
  });

  it('passes a referenced package list (checked when rendered) and ignores other asset types', () => {
    const messages = run(asset({ location: 'http://repo/pkgs.yaml' }), asset({ type: 'file', path: '/etc/x', data: 'x' }));
    expect(messages.map((m) => m.level)).toEqual(['Info']);
  });

  it('reports a pkg_list asset with neither packages nor a location', () => {
    for (const packageList of [null, {}]) {
      const messages = run(asset({ packageList }));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        level: 'Error',
        message: "Bootaction pkg_list Validation: Bootaction has asset of type 'pkg_list' but no valid package data",
        documents: [{ schema: 'drydock/BootAction/v1', name: 'pkgs' }],
        diagnostic: 'pkg_list bootaction assets must specify a list of packages.',
      });
    }
  });

  it("reports an invalid version as Drydock's test does (':)')", () => {
    const messages = packages({ foo: ':)' });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'Bootaction pkg_list Validation: Version specifier :) is not a valid format for package foo.',
      diagnostic: 'pkg_list version specifications must be in a valid format.',
    });
  });

  it('reports malformed versions: empty revision, bad characters, bare epoch', () => {
    for (const v of ['1.0-', '1.0 beta', '1:', 'a:1.0', '>=1.0']) {
      expect(packages({ foo: v })[0]?.level, v).toBe('Error');
    }
  });

  it('reports package names Debian does not allow', () => {
    for (const name of ['Foo', 'a', '-foo', 'foo_bar', 'foo bar']) {
      const messages = packages({ [name]: null });
      expect(messages[0]?.message, name).toBe(`Bootaction pkg_list Validation: Package name ${name} is not a valid format.`);
    }
  });
});
