import { buildTestApp, digestOf } from '../helpers/app.ts';

export const ADMIN_TOKEN = 'ui-admin-token-0123456789';
export const READER_TOKEN = 'ui-reader-token-0123456789';
export const ORIGIN = 'http://localhost';

/** A token-mode app: an administrator and a user whose role no default rule grants. */
export async function uiApp(env: Record<string, string> = {}) {
  const tokens = `ops:admin:${await digestOf(ADMIN_TOKEN)},viewer:reader:${await digestOf(READER_TOKEN)}`;
  return buildTestApp({ env: { AUTH_MODE: 'token', AUTH_TOKENS: tokens, ...env } });
}

type App = Awaited<ReturnType<typeof uiApp>>['app'];

/** A browser's cookie jar for one app, enough for the session cookie. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly app: App, readonly origin = ORIGIN) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    const value = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return value ? { Cookie: value } : {};
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.app.request(this.origin + path, { headers: { ...this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  async post(path: string, fields: Record<string, string> | FormData, headers: Record<string, string> = {}): Promise<Response> {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    const res = await this.app.request(this.origin + path, {
      method: 'POST',
      body,
      headers: { Origin: this.origin, ...this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return res;
  }

  /** The CSRF token the page's forms carry. */
  static csrfIn(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF field in the page');
    return m[1]!;
  }

  /** Signs in through the sign-in form; answers the redirect. */
  async signIn(token: string): Promise<Response> {
    const form = await this.get('/ui/login');
    return this.post('/ui/login', { _csrf: Browser.csrfIn(await form.text()), token, next: '/ui/tasks' });
  }
}

/** Signs in at a started server through its sign-in form, as a browser would; answers the session cookie (`name=value`). */
export async function signInOverHttp(origin: string, token: string): Promise<string> {
  const login = await fetch(`${origin}/ui/login`);
  const preSession = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = Browser.csrfIn(await login.text());
  const res = await fetch(`${origin}/ui/login`, {
    method: 'POST',
    headers: { Cookie: preSession, Origin: origin },
    body: new URLSearchParams({ _csrf: csrf, token, next: '/ui/tasks' }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}
