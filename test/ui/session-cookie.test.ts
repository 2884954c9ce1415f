import { describe, expect, it } from 'vitest';
import { acceptSessionCookie } from '../../src/middleware/session-cookie.ts';
import { requirePolicy } from '../../src/middleware/policy.ts';
import { ADMIN_TOKEN, Browser, READER_TOKEN, uiApp } from './ui-fixtures.ts';

/** The app with a stand-in read-only API route guarded as the events stream is. */
async function appWithCookieRoute() {
  const { app } = await uiApp();
  const guard = [acceptSessionCookie(), requirePolicy('physical_provisioner:read_task')] as const;
  app.get('/api/v1.0/cookie-probe', ...guard, (c) => c.json({ user: c.get('principal')?.user }));
  app.post('/api/v1.0/cookie-probe', ...guard, (c) => c.json({ user: c.get('principal')?.user }));
  return app;
}

describe("an API route that accepts the web view's session cookie", () => {
  it('authenticates a GET by the cookie as by X-Auth-Token, and a header still wins', async () => {
    const b = new Browser(await appWithCookieRoute());
    expect((await b.get('/api/v1.0/cookie-probe')).status).toBe(401);
    await b.signIn(ADMIN_TOKEN);
    const res = await b.get('/api/v1.0/cookie-probe');
    expect(await res.json()).toEqual({ user: 'ops' });
    expect((await b.get('/api/v1.0/cookie-probe', { 'X-Auth-Token': READER_TOKEN })).status).toBe(403);
    expect((await b.get('/api/v1.0/cookie-probe', { 'X-Auth-Token': 'wrong' })).status).toBe(401);
  });

  it('never takes the cookie for a write', async () => {
    const b = new Browser(await appWithCookieRoute());
    await b.signIn(ADMIN_TOKEN);
    expect((await b.post('/api/v1.0/cookie-probe', {})).status).toBe(401);
  });

  it('answers 401 for a cookie whose token is no longer valid', async () => {
    const b = new Browser(await appWithCookieRoute());
    await b.signIn(ADMIN_TOKEN);
    const other = new Browser(await (async () => {
      const { app } = await uiApp({ AUTH_TOKENS: '' });
      app.get('/api/v1.0/cookie-probe', acceptSessionCookie(), requirePolicy('physical_provisioner:read_task'), (c) => c.json({}));
      return app;
    })());
    other.cookies = b.cookies;
    expect((await other.get('/api/v1.0/cookie-probe')).status).toBe(401);
  });
});
