/**
 * The token the CLI sends: --token or DRYDOCK_TOKEN (or Drydock's OS_TOKEN)
 * as given, else a Keystone v3 token for the OS_* password credentials, as
 * Drydock's CLI gets one (password method, project scope). The token is only
 * ever sent, never printed.
 */
import { CliError, connectionError, networkReason, usageError } from './errors.ts';

type Env = Record<string, string | undefined>;

export interface KeystoneCredentials {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
}

/** The OS_* credentials, null when none is set; a usage error when some are missing. */
export function keystoneCredentials(env: Env): KeystoneCredentials | null {
  const names = ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME'] as const;
  const missing = names.filter((n) => !env[n]);
  if (missing.length === names.length) return null;
  if (missing.length > 0) throw usageError(`Keystone authentication needs ${missing.join(', ')} as well`);
  return {
    authUrl: env.OS_AUTH_URL!,
    username: env.OS_USERNAME!,
    password: env.OS_PASSWORD!,
    projectName: env.OS_PROJECT_NAME!,
    userDomainName: env.OS_USER_DOMAIN_NAME || 'Default',
    projectDomainName: env.OS_PROJECT_DOMAIN_NAME || 'Default',
  };
}

const tokensUrl = (authUrl: string) => `${authUrl.trim().replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`;

/** POST /v3/auth/tokens; the X-Subject-Token of a 201. Keystone refusing or unreachable exits 2. */
export async function keystoneToken(c: KeystoneCredentials, doFetch: typeof fetch = fetch): Promise<string> {
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
      },
      scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
    },
  };
  const url = tokensUrl(c.authUrl);
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw connectionError(`Cannot reach Keystone at ${url}: ${networkReason(err)}`);
  }
  const text = await res.text().catch(() => '');
  const token = res.headers.get('x-subject-token');
  if (res.ok && token) return token;
  let reason = `HTTP ${res.status}`;
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') reason = `${message} (HTTP ${res.status})`;
  } catch {}
  throw new CliError(`Keystone refused the OS_* credentials of ${c.username}: ${reason}`, 2);
}

/** The token for this run: explicit first, then Keystone; null when nothing is configured. */
export async function resolveToken(flag: string | undefined, env: Env, doFetch: typeof fetch = fetch): Promise<string | null> {
  const explicit = flag || env.DRYDOCK_TOKEN || env.OS_TOKEN;
  if (explicit) return explicit.trim();
  const credentials = keystoneCredentials(env);
  return credentials ? keystoneToken(credentials, doFetch) : null;
}
