import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repositoryForm } from '../../../src/drivers/maas/provisioner.ts';
import { readBsonDocument } from '../../../src/drivers/maas/bson.ts';
import { base64Of, cloudConfigFor, NODE_KEY_PATH } from '../../../src/drivers/maas/user-data.ts';

// What the MAAS driver sends that it computes itself: the deployment's
// cloud-config and the package repository fields.

const KEY = 'ab'.repeat(32);
const payload = { nodeKey: KEY, actions: [], packages: { curl: null, 'docker.io': '20.10*' } };

describe('deploy user data', () => {
  it('holds the packages as Drydock sends them and the node key as a root-only file', () => {
    const text = cloudConfigFor(payload, 'both')!;
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(text)).toEqual({
      packages: ['curl', ['docker.io', '20.10*']],
      write_files: [{ path: NODE_KEY_PATH, permissions: '0600', owner: 'root:root', content: `${KEY}\n` }],
    });
  });

  it('leaves the key out when it goes by tag only, and sends nothing when there is nothing to say', () => {
    expect(parse(cloudConfigFor(payload, 'tag')!)).toEqual({ packages: ['curl', ['docker.io', '20.10*']] });
    expect(cloudConfigFor({ ...payload, packages: {} }, 'tag')).toBeNull();
    expect(cloudConfigFor(null, 'both')).toBeNull();
  });

  it('is base64-encoded once, as MAAS decodes deploy user_data once, so cloud-init gets the text itself', () => {
    const text = cloudConfigFor(payload, 'both')!;
    expect(new TextDecoder().decode(Uint8Array.from(atob(base64Of(text)), (c) => c.charCodeAt(0)))).toBe(text);
    expect(base64Of('é')).toBe('w6k=');
  });
});

describe('package repository fields', () => {
  const repo = { name: 'docker', url: 'https://download.docker.com/linux/ubuntu', repoType: 'apt', gpgkey: 'KEY', distributions: ['focal'], subrepos: null, components: ['stable'], arches: ['amd64'], options: null };

  it('sends a repository of the site as MAAS package-repositories fields', () => {
    expect(repositoryForm(repo)).toEqual({ name: 'docker', url: repo.url, key: 'KEY', distributions: 'focal', components: 'stable', arches: 'amd64' });
  });

  it('gives MAAS archives their disabled components and pockets instead', () => {
    const main = { ...repo, name: 'main_archive', components: ['main', 'universe'], subrepos: ['security', 'updates'] };
    expect(repositoryForm(main)).toMatchObject({ disabled_components: 'restricted,multiverse', disabled_pockets: 'backports' });
    expect(repositoryForm(main)).not.toHaveProperty('components');
  });

  it('leaves the pockets alone for a repository whose design names no subrepos (Drydock disables security, updates and backports)', () => {
    expect(repositoryForm({ ...repo, name: 'main_archive', subrepos: null })).not.toHaveProperty('disabled_pockets');
  });
});

describe('BSON of op=details', () => {
  // A document built by hand from bsonspec.org: {lshw: binary, lldp: binary, note: "x"}.
  function bson(fields: Array<[string, number, Uint8Array]>): Uint8Array {
    const parts: number[] = [];
    for (const [name, type, value] of fields) {
      parts.push(type, ...new TextEncoder().encode(name), 0);
      const len = type === 0x02 ? value.length + 1 : value.length;
      parts.push(len & 255, (len >> 8) & 255, (len >> 16) & 255, (len >> 24) & 255);
      if (type === 0x05) parts.push(0);
      parts.push(...value);
      if (type === 0x02) parts.push(0);
    }
    const size = parts.length + 5;
    return Uint8Array.from([size & 255, (size >> 8) & 255, (size >> 16) & 255, (size >> 24) & 255, ...parts, 0]);
  }

  it('reads the binary and string values of one document', () => {
    const xml = new TextEncoder().encode('<list><node id="x"/></list>');
    const doc = readBsonDocument(bson([['lshw', 0x05, xml], ['lldp', 0x05, new Uint8Array()], ['note', 0x02, new TextEncoder().encode('é')]]));
    expect(new TextDecoder().decode(doc.lshw as Uint8Array)).toBe('<list><node id="x"/></list>');
    expect((doc.lldp as Uint8Array).length).toBe(0);
    expect(doc.note).toBe('é');
  });

  it('stops at a truncated or empty answer instead of reading past it', () => {
    expect(readBsonDocument(new Uint8Array())).toEqual({});
    const whole = bson([['lshw', 0x05, new Uint8Array(10)]]);
    expect(() => readBsonDocument(whole.subarray(0, 9))).not.toThrow();
  });
});
