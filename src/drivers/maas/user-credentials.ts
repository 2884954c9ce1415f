import type { SiteModel } from '../../design/model.ts';
import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';

// Keys never hold newlines, but designs sometimes wrap them (Drydock strips
// them too); MAAS keeps a key as sent, so equal keys compare alike here.
const normal = (key: string) => key.replace(/\n/g, '').trim().split(/\s+/).join(' ');

/** The key's type and the start of its body: enough to tell keys apart in a message, as Drydock's k[:16]. */
const shown = (key: string) => normal(key).slice(0, 24);

/**
 * Drydock's ConfigureUserCredentials: the site's authorized_keys in the MAAS
 * user's profile, which MAAS installs on every machine it deploys. One list
 * read, then one POST per key MAAS does not have yet.
 */
export async function configureUserCredentials(client: MaasClient, site: SiteModel): Promise<Progress> {
  const wanted = site.region?.authorizedKeys ?? [];
  if (wanted.length === 0) return { state: 'done', detail: 'no keys to add, no work to do' };
  const current = (await client.json<Array<{ key?: string }>>({ method: 'GET', path: 'account/prefs/sshkeys/' })) ?? [];
  const have = new Set(current.map((k) => normal(k.key ?? '')));
  const added: string[] = [];
  for (const key of new Set(wanted.map(normal))) {
    if (have.has(key)) continue;
    await client.json({ method: 'POST', path: 'account/prefs/sshkeys/', params: { key } });
    added.push(shown(key));
  }
  const kept = wanted.length - added.length;
  return {
    state: 'done',
    detail: added.length > 0 ? `added ${added.length} SSH key(s) to the MAAS user (${added.join(', ')}…); ${kept} already there` : `all ${wanted.length} SSH key(s) already in the MAAS user profile`,
  };
}
