import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { machineDoc } from './machine-doc.ts';
import { rackDoc } from './rack.ts';
import type { Route } from './router.ts';
import type { SimState, SimTag } from './state.ts';

/**
 * The smaller handlers of canonical/maas src/maasserver/api/: tags.py,
 * boot_resources.py, rackcontrollers.py (DISPLAYED_RACK_CONTROLLER_FIELDS'
 * service_set), ssh_keys.py, packagerepositories.py, results.py.
 * (version.py is answered before auth in simulator.ts: it is anonymous.)
 */
const tagDoc = (t: SimTag) => ({
  name: t.name, definition: t.definition, comment: t.comment, kernel_opts: t.kernelOpts,
  resource_uri: `/MAAS/api/2.0/tags/${t.name}/`,
});

// tags.py: a tag name is a word of letters, digits, '-' and '_' (Tag.name validator).
const TAG_NAME_RE = /^[\w-]+$/;

export function miscRoutes(st: SimState): Route[] {
  const tag = (name: string) => st.tags.find((t) => t.name === name);
  const noTag = text(404, 'No Tag matches the given query.');

  const createTag = (r: MaasRequest): MaasReply => {
    const name = r.form.get('name') ?? '';
    if (!name) return validation({ name: ['This field is required.'] });
    if (!TAG_NAME_RE.test(name)) return validation({ name: ['Invalid character in tag name.'] });
    if (tag(name)) return validation({ name: ['Tag with this Name already exists.'] });
    const t: SimTag = { name, comment: r.form.get('comment') ?? '', definition: r.form.get('definition') ?? '',
      kernelOpts: r.form.get('kernel_opts') ?? '', systemIds: new Set() };
    st.tags.push(t);
    return json(tagDoc(t));
  };

  const updateNodes = (r: MaasRequest, p: string[]): MaasReply => {
    const t = tag(p[0]!);
    if (!t) return noTag;
    const def = r.form.get('definition');
    if (def !== null && def !== t.definition) {
      return text(409, `Definition supplied '${def}' doesn't match current definition '${t.definition}'`);
    }
    let added = 0;
    let removed = 0;
    for (const id of r.form.getAll('add')) {
      if (st.machine(id) && !t.systemIds.has(id)) (t.systemIds.add(id), added++);
    }
    for (const id of r.form.getAll('remove')) {
      if (t.systemIds.delete(id)) removed++;
    }
    return json({ added, removed });
  };

  const tagged = (_r: MaasRequest, p: string[]): MaasReply => {
    const t = tag(p[0]!);
    if (!t) return noTag;
    return json(st.machines.filter((m) => t.systemIds.has(m.systemId))
      .map((m) => machineDoc(st.network, m, st.tagNamesOf(m))));
  };

  const repoDoc = (x: SimState['repos'][number]) => ({
    name: x.name, url: x.url, distributions: x.distributions, disabled_pockets: [], disabled_components: [],
    disable_sources: x.disableSources, components: x.components, arches: x.arches, key: x.key, enabled: x.enabled,
    id: x.id, resource_uri: `/MAAS/api/2.0/package-repositories/${x.id}/`,
  });

  const withRepo = (p: string[], fn: (x: SimState['repos'][number]) => MaasReply): MaasReply => {
    const x = st.repos.find((y) => String(y.id) === p[0]);
    return x ? fn(x) : text(404, 'No PackageRepository matches the given query.');
  };

  const createRepo = (r: MaasRequest): MaasReply => {
    const name = r.form.get('name');
    const url = r.form.get('url');
    if (!name || !url) {
      return validation({ ...(name ? {} : { name: ['This field is required.'] }),
        ...(url ? {} : { url: ['This field is required.'] }) });
    }
    const list = (k: string) => r.form.getAll(k).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const repo = { id: Math.max(0, ...st.repos.map((x) => x.id)) + 1, name, url, distributions: list('distributions'),
      components: list('components'), arches: list('arches').length ? list('arches') : ['amd64', 'i386'],
      key: r.form.get('key') ?? '', enabled: r.form.get('enabled') !== 'false',
      disableSources: r.form.get('disable_sources') !== 'false' };
    st.repos.push(repo);
    return json(repoDoc(repo));
  };

  const sshKeyDoc = (k: SimState['sshKeys'][number]) => ({
    id: k.id, key: k.key, keysource: null, resource_uri: `/MAAS/api/2.0/account/prefs/sshkeys/${k.id}/`,
  });

  return [
    { path: /^\/tags\/$/, ops: { GET: () => json(st.tags.map(tagDoc)), POST: createTag } },
    {
      path: /^\/tags\/([^/]+)\/$/,
      ops: {
        GET: (_r, p) => (tag(p[0]!) ? json(tagDoc(tag(p[0]!)!)) : noTag),
        'GET nodes': tagged, 'GET machines': tagged, 'POST update_nodes': updateNodes,
        DELETE: (_r, p) => {
          const i = st.tags.findIndex((t) => t.name === p[0]);
          if (i < 0) return noTag;
          st.tags.splice(i, 1);
          return { status: 204, body: '' };
        },
      },
    },
    {
      path: /^\/boot-resources\/$/,
      ops: {
        GET: () => json(st.bootResources.map((b, i) => ({ id: i + 1, type: b.type ?? 'Synced', name: b.name,
          architecture: b.architecture, resource_uri: `/MAAS/api/2.0/boot-resources/${i + 1}/` }))),
        'GET is_importing': () => json(st.bootImportRunning),
      },
    },
    // rackcontrollers.py RackControllersHandler(NodesHandler, PowersMixin): the
    // collection's power_parameters (nodes.py PowersMixin) maps system ids to
    // their power parameters; the one rack controller here has manual power.
    { path: /^\/rackcontrollers\/$/, ops: {
      GET: () => json([rackDoc(st)]),
      'GET power_parameters': (r) => {
        const ids = r.query.getAll('id');
        return json(ids.length === 0 || ids.includes('rack01') ? { rack01: {} } : {});
      },
    } },
    // users.py UsersHandler.whoami: the requesting user, as UserHandler's fields.
    { path: /^\/users\/$/, ops: {
      'GET whoami': () => json({ username: 'admin', email: 'admin@example.com', is_local: true, is_superuser: true,
        resource_uri: '/MAAS/api/2.0/users/admin/' }),
    } },
    { path: /^\/rackcontrollers\/([^/]+)\/$/, ops: {
      GET: (_r, p) => (p[0] === 'rack01' ? json(rackDoc(st)) : text(404, 'No RackController matches the given query.')),
    } },
    { path: /^\/account\/prefs\/sshkeys\/$/, ops: {
      GET: () => json(st.sshKeys.map(sshKeyDoc)),
      POST: (r) => {
        const key = r.form.get('key');
        if (!key || !/^(ssh-|ecdsa-)\S+ \S+/.test(key)) return validation({ key: ['Invalid SSH public key: ' + (key ?? '')] });
        if (st.sshKeys.some((k) => k.key === key)) return validation({ __all__: ['This key has already been added for this user.'] });
        const k = { id: st.sshKeys.length + 1, key };
        st.sshKeys.push(k);
        return json(sshKeyDoc(k), 201);
      },
    } },
    // account.py list_authorisation_tokens: MAAS answers the full keys (secrets included).
    { path: /^\/account\/$/, ops: { 'GET list_authorisation_tokens': () => json([{ name: 'MAAS consumer', token: st.apiKey }]) } },
    { path: /^\/account\/prefs\/sshkeys\/(\d+)\/$/, ops: {
      GET: (_r, p) => {
        const k = st.sshKeys.find((x) => String(x.id) === p[0]);
        return k ? json(sshKeyDoc(k)) : text(404, 'No SSHKey matches the given query.');
      },
    } },
    { path: /^\/package-repositories\/$/, ops: { GET: () => json(st.repos.map(repoDoc)), POST: createRepo } },
    { path: /^\/package-repositories\/(\d+)\/$/, ops: {
      GET: (_r, p) => withRepo(p, (x) => json(repoDoc(x))),
      PUT: (r, p) => withRepo(p, (x) => {
        const list = (k: string) => r.form.getAll(k).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
        if (r.form.get('url')) x.url = r.form.get('url')!;
        if (r.form.get('name')) x.name = r.form.get('name')!;
        if (r.form.has('distributions')) x.distributions = list('distributions');
        if (r.form.has('components')) x.components = list('components');
        if (r.form.has('arches')) x.arches = list('arches');
        if (r.form.has('key')) x.key = r.form.get('key')!;
        if (r.form.has('enabled')) x.enabled = r.form.get('enabled') !== 'false';
        return json(repoDoc(x));
      }),
      DELETE: (_r, p) => withRepo(p, (x) => (st.repos.splice(st.repos.indexOf(x), 1), { status: 204, body: '' })),
    } },
  ];
}
