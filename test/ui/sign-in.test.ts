import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, Browser, READER_TOKEN, uiApp } from './ui-fixtures.ts';

describe('web view sign-in', () => {
  it('sends a visitor without a session to sign-in, and back to the page afterwards', async () => {
    const b = new Browser((await uiApp()).app);
    const res = await b.get('/ui/nodes?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/ui/login?next=%2Fui%2Fnodes%3Fx%3D1');
    const form = await b.get(res.headers.get('Location')!);
    const html = await form.text();
    expect(html).toContain('value="/ui/nodes?x=1"');
    const signedIn = await b.post('/ui/login', { _csrf: Browser.csrfIn(html), token: ADMIN_TOKEN, next: '/ui/nodes?x=1' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/ui/nodes?x=1');
    expect((await b.get('/ui/nodes')).status).toBe(200);
  });

  it('keeps the token in an HttpOnly, SameSite=Strict cookie, Secure with the __Host- prefix over https', async () => {
    const plain = new Browser((await uiApp()).app);
    const cookie = (await plain.signIn(ADMIN_TOKEN)).headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/^drydock_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/);

    const https = new Browser((await uiApp({ PUBLIC_URL: 'https://edge.example' })).app, 'https://edge.example');
    const secure = (await https.signIn(ADMIN_TOKEN)).headers.getSetCookie().join('\n');
    expect(secure).toMatch(/^__Host-drydock_session=[^;]+; .*Path=\/; HttpOnly; Secure; SameSite=Strict/);
    expect(secure).not.toContain('Domain');
    expect((await https.get('/ui/tasks')).status).toBe(200);
  });

  it('refuses a wrong token with the sign-in page again, and keeps no session', async () => {
    const b = new Browser((await uiApp()).app);
    const res = await b.signIn('not-a-token');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('That token was not accepted.');
    expect((await b.get('/ui/tasks')).status).toBe(303);
  });

  it('signs out: the cookie is dropped and pages ask for sign-in again', async () => {
    const b = new Browser((await uiApp()).app);
    await b.signIn(ADMIN_TOKEN);
    const page = await (await b.get('/ui/tasks')).text();
    const res = await b.post('/ui/logout', { _csrf: Browser.csrfIn(page) });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().join()).toMatch(/drydock_session=; Max-Age=0/);
    expect((await b.get('/ui/tasks')).status).toBe(303);
  });

  it('drops a session whose token is no longer valid', async () => {
    const first = await uiApp();
    const b = new Browser(first.app);
    await b.signIn(ADMIN_TOKEN);
    // The same cookie at a server that no longer knows the token (rotated AUTH_TOKENS).
    const rotated = new Browser((await uiApp({ AUTH_TOKENS: '' })).app);
    rotated.cookies = b.cookies;
    const res = await rotated.get('/ui/tasks');
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().join()).toMatch(/drydock_session=; Max-Age=0/);
  });

  it('only follows a next that is a page of the web view', async () => {
    const b = new Browser((await uiApp()).app);
    for (const next of ['https://evil.example/', '//evil.example/ui/', '/api/v1.0/tasks', '/ui/\\evil']) {
      const html = await (await b.get(`/ui/login?next=${encodeURIComponent(next)}`)).text();
      const res = await b.post('/ui/login', { _csrf: Browser.csrfIn(html), token: ADMIN_TOKEN, next });
      expect(res.headers.get('Location'), next).toBe('/ui/tasks');
    }
  });

  it('shows a signed-in user a page their role may not see as 403, not as sign-in', async () => {
    const b = new Browser((await uiApp()).app);
    await b.signIn(READER_TOKEN);
    for (const path of ['/ui/tasks', '/ui/designs', '/ui/nodes']) {
      const res = await b.get(path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('Policy physical_provisioner:');
    }
  });
});

describe('web view with AUTH_MODE=none', () => {
  it('asks for no sign-in (everyone is an administrator) and still guards its forms with a CSRF token', async () => {
    const { buildTestApp } = await import('../helpers/app.ts');
    const b = new Browser((await buildTestApp({ env: { AUTH_MODE: 'none' } })).app);
    const res = await b.get('/ui/tasks');
    expect(res.status).toBe(200);
    const csrf = Browser.csrfIn(await res.text());
    expect((await b.post('/ui/tasks', { action: 'verify_site', design_ref: 'design://x' })).status).toBe(403);
    expect((await b.post('/ui/tasks', { _csrf: csrf, action: 'verify_site', design_ref: 'design://x' })).status).toBe(303);
  });
});
