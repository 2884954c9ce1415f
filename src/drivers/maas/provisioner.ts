import type { Region, SiteModel } from '../../design/model.ts';
import type { Progress } from '../types.ts';
import type { Form, MaasClient } from './client.ts';

type Repo = NonNullable<Region['repositories']>['list'][number];

// MAAS's own archives: never deleted, and their components are given as the disabled ones.
const DEFAULT_REPOS = new Set(['main_archive', 'ports_archive']);
const STANDARD_COMPONENTS: Record<string, string[]> = { apt: ['main', 'restricted', 'universe', 'multiverse'] };
const STANDARD_POCKETS: Record<string, string[]> = { apt: ['security', 'updates', 'backports'] };

/**
 * A design repository as MAAS's package-repositories fields. Drydock sends
 * disabled_pockets even for a repository whose design names no subrepos,
 * which disables security, updates and backports; here a repository without
 * subrepos leaves its pockets as MAAS has them.
 */
export function repositoryForm(repo: Repo): Form {
  const form: Form = { name: repo.name, url: repo.url, key: repo.gpgkey ?? '' };
  if (repo.distributions?.length) form.distributions = repo.distributions.join(',');
  if (repo.components?.length) {
    if (DEFAULT_REPOS.has(repo.name)) {
      form.disabled_components = (STANDARD_COMPONENTS[repo.repoType] ?? []).filter((c) => !repo.components!.includes(c)).join(',');
    } else form.components = repo.components.join(',');
  }
  if (repo.subrepos) form.disabled_pockets = (STANDARD_POCKETS[repo.repoType] ?? []).filter((p) => !repo.subrepos!.includes(p)).join(',');
  if (repo.arches.length) form.arches = repo.arches.join(',');
  return form;
}

/**
 * Drydock's ConfigureNodeProvisioner: each repository of the region created
 * or updated in MAAS by name, and with remove_unlisted the others deleted
 * (MAAS's own archives excepted).
 */
export async function configureNodeProvisioner(client: MaasClient, site: SiteModel): Promise<Progress> {
  const wanted = site.region?.repositories;
  if (!wanted || wanted.list.length === 0) return { state: 'done', detail: 'no repositories to add, no work to do' };
  const current = (await client.json<Array<{ id: number; name: string }>>({ method: 'GET', path: 'package-repositories/' })) ?? [];
  const byName = new Map(current.map((r) => [r.name, r]));
  const done: string[] = [];
  for (const repo of wanted.list) {
    const existing = byName.get(repo.name);
    if (existing) await client.json({ method: 'PUT', path: `package-repositories/${existing.id}/`, params: repositoryForm(repo) });
    else await client.json({ method: 'POST', path: 'package-repositories/', params: repositoryForm(repo) });
    done.push(`${existing ? 'updated' : 'added'} ${repo.name}`);
  }
  if (wanted.removeUnlisted) {
    const listed = new Set(wanted.list.map((r) => r.name));
    for (const repo of current) {
      if (listed.has(repo.name) || DEFAULT_REPOS.has(repo.name)) continue;
      await client.json({ method: 'DELETE', path: `package-repositories/${repo.id}/` });
      done.push(`deleted ${repo.name}`);
    }
  }
  return { state: 'done', detail: `package repositories: ${done.join(', ')}` };
}
