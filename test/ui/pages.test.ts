import { describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { ADMIN_TOKEN, Browser, uiApp } from './ui-fixtures.ts';

const BMC_SECRET = 'Bmc-S3cret-Value-4711';
/** A valid four-node site whose nodes' BMC credential is a recognisable secret. */
const siteWithSecret = () => generateSite(4).yaml.replaceAll('credential: password', `credential: ${BMC_SECRET}`);

async function signedIn() {
  const { app } = await uiApp();
  const b = new Browser(app);
  await b.signIn(ADMIN_TOKEN);
  const csrf = Browser.csrfIn(await (await b.get('/ui/tasks')).text());
  return { b, csrf };
}

function upload(b: Browser, csrf: string, yaml: string) {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('file', new Blob([yaml], { type: 'application/x-yaml' }), 'site.yaml');
  return b.post('/ui/designs', form);
}

const refIn = (html: string) => /design:\/\/[0-9A-Za-z-]+/.exec(html)![0];

describe('web view pages', () => {
  it('uploads a design file, stores it and shows it valid, never showing its documents', async () => {
    const { b, csrf } = await signedIn();
    const res = await upload(b, csrf, siteWithSecret());
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('Validation of <span class="mono">design://');
    expect(html).toContain('status status-success">valid<');
    expect(html).not.toContain(BMC_SECRET);
    const listed = await (await b.get('/ui/designs')).text();
    expect(listed).toContain(refIn(html));
    expect(listed).not.toContain(BMC_SECRET);
  });

  it("shows a design's validation messages with their rule and documents (400)", async () => {
    const { b, csrf } = await signedIn();
    const broken = generateSite(2).yaml.replace('bootable: true', 'bootable: perhaps');
    const res = await upload(b, csrf, broken);
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('>invalid<');
    expect(html).toContain('<td>Error</td><td>DD001</td><td class="mono"><div>drydock/HostProfile/v1 defaults</div></td>');
    expect(html).toContain('is not of type');
  });

  it('validates a design ref given in the form', async () => {
    const { b, csrf } = await signedIn();
    const ref = refIn(await (await upload(b, csrf, siteWithSecret())).text());
    const res = await b.post('/ui/designs/validate', { _csrf: csrf, ref });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`Validation of <span class="mono">${ref}</span>`);
    const missing = await b.post('/ui/designs/validate', { _csrf: csrf, ref: 'design://00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(400);
  });

  it('creates a task from the form and shows its tree, and lists it newest first', async () => {
    const { b, csrf } = await signedIn();
    const ref = refIn(await (await upload(b, csrf, siteWithSecret())).text());
    const ids: string[] = [];
    for (const action of ['validate_design', 'verify_site']) {
      const res = await b.post('/ui/tasks', { _csrf: csrf, action, design_ref: ref, node_names: '', node_tags: '' });
      expect(res.status).toBe(303);
      ids.push(res.headers.get('Location')!.replace('/ui/tasks/', ''));
    }
    const page = await b.get(`/ui/tasks/${ids[1]}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`data-task-id="${ids[1]}"`);
    expect(html).toContain(`data-events="/api/v1.0/tasks/${ids[1]}/events"`);
    expect(html).toContain('<script src="/ui/static/app.js" defer=""></script>');
    expect(html).not.toContain(BMC_SECRET);
    const list = await (await b.get('/ui/tasks')).text();
    expect(list.indexOf(ids[1]!)).toBeLessThan(list.indexOf(ids[0]!));
  });

  it('terminates a task from its page, by the rule of its action', async () => {
    const { b, csrf } = await signedIn();
    const created = await b.post('/ui/tasks', { _csrf: csrf, action: 'verify_site', design_ref: 'design://none' });
    const path = created.headers.get('Location')!;
    expect(await (await b.get(path)).text()).toContain('id="terminate"');
    const res = await b.post(`${path}/terminate`, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(path);
    const html = await (await b.get(path)).text();
    expect(html).toMatch(/<strong>verify_site<\/strong><span class="status status-(terminating|terminated)">/);
    expect(html).not.toContain('id="terminate"');
  });

  it('refuses a task form with an unknown action as the API does (400)', async () => {
    const { b, csrf } = await signedIn();
    const res = await b.post('/ui/tasks', { _csrf: csrf, action: 'format_disks', design_ref: 'design://x' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Unsupported action format_disks');
  });

  it('pages through the task list', async () => {
    const { b, csrf } = await signedIn();
    for (let i = 0; i < 27; i++) await b.post('/ui/tasks', { _csrf: csrf, action: 'validate_design', design_ref: 'design://none' });
    const first = await (await b.get('/ui/tasks')).text();
    const older = /href="(\/ui\/tasks\?cursor=[^"]+)"/.exec(first)![1]!.replaceAll('&amp;', '&');
    const second = await (await b.get(older)).text();
    expect((first.match(/<tr><td><a class="mono"/g) ?? []).length).toBe(25);
    expect((second.match(/<tr><td><a class="mono"/g) ?? []).length).toBe(2);
    expect(second).toContain('>Newest<');
  });

  it('answers an unknown task with a 404 page', async () => {
    const { b } = await signedIn();
    expect((await b.get('/ui/tasks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await b.get('/ui/tasks/not-an-id')).status).toBe(404);
  });

  it('lists the nodes', async () => {
    const { b } = await signedIn();
    const res = await b.get('/ui/nodes');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Nodes</h1>');
  });
});
