import type { DesignDocument } from '../document.ts';
import type { Region } from '../model.ts';
import { docRef } from './messages.ts';
import { body, bool, isBody, list, str, strList, strMap } from './values.ts';

type Repository = NonNullable<Region['repositories']>['list'][number];

function optionalList(value: unknown): string[] | null {
  return Array.isArray(value) ? strList(value) : null;
}

/** Drydock's Repository: `arches` defaults to amd64, the rest to null. */
function repository(name: string, raw: unknown): Repository {
  const v = body(raw);
  return {
    name,
    url: str(v.url) ?? '',
    repoType: str(v.repo_type) ?? '',
    gpgkey: str(v.gpgkey),
    distributions: optionalList(v.distributions),
    subrepos: optionalList(v.subrepos),
    components: optionalList(v.components),
    arches: optionalList(v.arches) ?? ['amd64'],
    options: isBody(v.options) ? strMap(v.options) : null,
  };
}

/** Drydock's process_drydock_region; an empty `repositories` mapping is no repositories at all. */
export function compileRegion(doc: DesignDocument): Region {
  const d = doc.data;
  const tagDefinitions = list(d.tag_definitions).map((raw) => {
    const t = body(raw);
    return { tag: str(t.tag) ?? '', type: str(t.definition_type) ?? '', definition: str(t.definition) ?? '' };
  });
  let repositories: Region['repositories'] = null;
  const repos = body(d.repositories);
  if (Object.keys(repos).length > 0) {
    repositories = { removeUnlisted: false, list: [] };
    for (const [key, value] of Object.entries(repos)) {
      if (key === 'remove_unlisted') repositories.removeUnlisted = bool(value) ?? false;
      else repositories.list.push(repository(key, value));
    }
  }
  return { name: doc.name, doc: docRef(doc), tagDefinitions, authorizedKeys: strList(d.authorized_keys), repositories };
}
