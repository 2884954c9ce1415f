import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repositoryForm } from '../../../src/drivers/maas/provisioner.ts';
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
