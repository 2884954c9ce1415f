import { describe, expect, it } from 'vitest';
import { mountedRoutes, samplePath } from '../helpers/route-walk.ts';
import { ADMIN_TOKEN, Browser, uiApp } from './ui-fixtures.ts';

async function signedIn() {
  const { app } = await uiApp();
  const b = new Browser(app);
  await b.signIn(ADMIN_TOKEN);
  const csrf = Browser.csrfIn(await (await b.get('/ui/tasks')).text());
  return { app, b, csrf };
}

describe('CSRF protection of the web view', () => {
  it('refuses every form posted without the session CSRF token, or with another one, with 403', async () => {
    const { app, b } = await signedIn();
    const posts = mountedRoutes(app).filter((r) => r.method === 'POST' && r.path.startsWith('/ui/'));
    expect(posts.map((r) => r.path)).toEqual(expect.arrayContaining(['/ui/tasks', '/ui/designs', '/ui/logout', '/ui/login']));
    for (const route of posts) {
      const path = samplePath(route.path);
      const missing = await b.post(path, { token: ADMIN_TOKEN, action: 'verify_site', design_ref: 'design://x' });
      expect(missing.status, `${path} without a token`).toBe(403);
      const other = await b.post(path, { _csrf: 'A'.repeat(32), token: ADMIN_TOKEN });
      expect(other.status, `${path} with another token`).toBe(403);
    }
    // The session survived all of that.
    expect((await b.get('/ui/tasks')).status).toBe(200);
  });

  it("refuses a form from another origin even with the right token (Hono's Origin check)", async () => {
    const { b, csrf } = await signedIn();
    const res = await b.post('/ui/logout', { _csrf: csrf }, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('The request did not come from this site');
    expect((await b.get('/ui/tasks')).status).toBe(200);
  });

  it('gives a new CSRF token at sign-in, so the sign-in form token cannot be planted in advance', async () => {
    const { app } = await uiApp();
    const b = new Browser(app);
    const before = Browser.csrfIn(await (await b.get('/ui/login')).text());
    await b.post('/ui/login', { _csrf: before, token: ADMIN_TOKEN, next: '/ui/tasks' });
    const after = Browser.csrfIn(await (await b.get('/ui/tasks')).text());
    expect(after).not.toBe(before);
  });
});

describe('Content-Security-Policy of the web view', () => {
  it('serves every page with a same-origin-only policy and no inline script or style', async () => {
    const { b } = await signedIn();
    for (const path of ['/ui/login', '/ui/tasks', '/ui/designs', '/ui/nodes']) {
      const res = await b.get(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const html = await res.text();
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\ssrc=)/i);
    }
  });

  it('serves the CSS and the script from /ui/static with their types', async () => {
    const { app } = await uiApp();
    const css = await app.request('/ui/static/app.css');
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
    const js = await app.request('/ui/static/app.js');
    expect(js.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain('EventSource');
  });
});
