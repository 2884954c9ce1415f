import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app.ts';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.ts';
import { Browser } from './ui-fixtures.ts';

describe('web view sign-in with Keystone credentials (AUTH_MODE=keystone)', () => {
  let keystone: FakeKeystone;
  const keystoneApp = async () =>
    (
      await buildTestApp({
        env: {
          AUTH_MODE: 'keystone',
          KEYSTONE_AUTH_URL: keystone.url,
          KEYSTONE_USERNAME: FAKE_SERVICE_CREDENTIALS.username,
          KEYSTONE_PASSWORD: FAKE_SERVICE_CREDENTIALS.password,
          KEYSTONE_TIMEOUT_MS: '500',
        },
      })
    ).app;

  beforeAll(async () => {
    keystone = await startFakeKeystone();
    keystone.addUser({ username: 'carol', password: 'carol-pa55word', project: 'ops', token: { roles: ['admin'] } });
  });
  afterAll(async () => {
    await keystone.close();
  });

  async function signIn(b: Browser, password: string) {
    const html = await (await b.get('/ui/login')).text();
    expect(html).toContain('With Keystone credentials');
    const fields = { _csrf: Browser.csrfIn(html), username: 'carol', password, project: 'ops', domain: 'Default', next: '/ui/tasks' };
    return b.post('/ui/login/keystone', fields);
  }

  it("exchanges user name, password and project for the user's token, then signs in with it", async () => {
    const b = new Browser(await keystoneApp());
    const res = await signIn(b, 'carol-pa55word');
    expect(res.status).toBe(303);
    const page = await b.get('/ui/tasks');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('carol');
    expect(html).not.toContain('carol-pa55word');
  });

  it('refuses a wrong password with the sign-in page again', async () => {
    const b = new Browser(await keystoneApp());
    const res = await signIn(b, 'wrong');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Keystone did not accept those credentials.');
    expect((await b.get('/ui/tasks')).status).toBe(303);
  });

  it('offers no Keystone form, and refuses its route, when the server takes static tokens', async () => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token', AUTH_TOKENS: '' } });
    const b = new Browser(app);
    const html = await (await b.get('/ui/login')).text();
    expect(html).not.toContain('With Keystone credentials');
    const res = await b.post('/ui/login/keystone', { _csrf: Browser.csrfIn(html), username: 'a', password: 'b', project: 'c' });
    expect(res.status).toBe(404);
  });
});
