/**
 * A user's own Keystone token from their credentials (password method,
 * project scope): what the web view's Keystone sign-in exchanges. Keystone
 * refusing them is `null`; Keystone unreachable or answering nonsense is 503.
 */
import { ApiError } from '../core/errors.ts';
import { normaliseAuthUrl } from './keystone.ts';

export interface UserCredentials {
  username: string;
  password: string;
  project: string;
  /** User and project domain name (Default when empty). */
  domain: string;
}

export interface KeystoneLoginOptions {
  authUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

export async function issueUserToken(options: KeystoneLoginOptions, creds: UserCredentials): Promise<string | null> {
  const domain = { name: creds.domain || 'Default' };
  const body = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: creds.username, domain, password: creds.password } } },
      scope: { project: { name: creds.project, domain } },
    },
  };
  let res: Response;
  try {
    res = await options.fetch(`${normaliseAuthUrl(options.authUrl).v3}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer();
  } catch {
    throw new ApiError('ServiceUnavailable', 'Identity service unavailable');
  }
  if (res.status === 401 || res.status === 403 || res.status === 404) return null;
  const token = res.headers.get('x-subject-token');
  if ((res.status !== 201 && res.status !== 200) || !token) {
    throw new ApiError('ServiceUnavailable', `Identity service unavailable: HTTP ${res.status}`);
  }
  return token;
}
