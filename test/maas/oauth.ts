/**
 * OAuth 1.0 PLAINTEXT checks the way MAAS applies them: MAAS's
 * MAASAPIAuthentication (canonical/maas src/maasserver/api/auth.py) on top of
 * piston3's OAuthAuthentication and its python-oauth server (signature,
 * 300 s timestamp window, nonce store). The consumer secret of a MAAS API key
 * is empty, so a PLAINTEXT signature is `&<token secret>`.
 */
export interface ApiCredentials {
  consumerKey: string;
  tokenKey: string;
  tokenSecret: string;
}

export type AuthOutcome =
  | { ok: true }
  | { ok: false; status: 400 | 401; body: string };

/** python-oauth's OAuthServer.timestamp_threshold (seconds). */
const TIMESTAMP_THRESHOLD_S = 300;

/** Parses `OAuth k="v", ...` (values percent-encoded, as RFC 5849 §3.5.1 says). */
export function parseOAuthHeader(header: string): Record<string, string> | null {
  if (!header.startsWith('OAuth')) return null;
  const params: Record<string, string> = {};
  for (const m of header.slice(5).matchAll(/([a-z_]+)="([^"]*)"/g)) {
    params[m[1]!] = decodeURIComponent(m[2]!);
  }
  return params;
}

const NECESSARY = ['oauth_consumer_key', 'oauth_token', 'oauth_signature', 'oauth_signature_method',
  'oauth_timestamp', 'oauth_nonce'];

// piston answers an anonymous call to a protected handler with rc.FORBIDDEN,
// which (despite its name) is a 401 whose body is 'Forbidden'.
const challenge: AuthOutcome = { ok: false, status: 401, body: 'Forbidden' };

function refuse(message: string): AuthOutcome {
  // OAuthUnauthorized: 'Invalid consumer.' becomes the friendlier text; any
  // other python-oauth error is shown as its repr.
  const body = message === 'Invalid consumer.'
    ? 'Authorization Error: Invalid API key.'
    : `Authorization Error: '${message}'`;
  return { ok: false, status: 401, body };
}

export class OAuthVerifier {
  private readonly nonces = new Set<string>();

  constructor(private readonly creds: ApiCredentials, private readonly nowSeconds: () => number) {}

  verify(header: string | undefined): AuthOutcome {
    const p = header ? parseOAuthHeader(header) : null;
    if (!p || NECESSARY.some((k) => p[k] === undefined)) return challenge;
    if (!/^\d+$/.test(p.oauth_timestamp!)) {
      return { ok: false, status: 400, body: 'Bad Request: the following problems were found among the auth params: '
        + 'oauth_timestamp has an unexpected type' };
    }
    if (p.oauth_consumer_key !== this.creds.consumerKey) return refuse('Invalid consumer.');
    if (p.oauth_token !== this.creds.tokenKey) return refuse(`Invalid access token: ${p.oauth_token}`);
    if (p.oauth_version !== undefined && p.oauth_version !== '1.0') {
      return refuse(`OAuth version ${p.oauth_version} not supported.`);
    }
    const stamp = Number(p.oauth_timestamp);
    const now = this.nowSeconds();
    if (Math.abs(now - stamp) > TIMESTAMP_THRESHOLD_S) {
      return refuse(`Expired timestamp: given ${stamp} and now ${now} has a greater difference than threshold `
        + `${TIMESTAMP_THRESHOLD_S}`);
    }
    if (p.oauth_signature_method !== 'PLAINTEXT') {
      return refuse(`Signature method ${p.oauth_signature_method} not supported try one of the following: PLAINTEXT`);
    }
    // python-oauth's message here carries the expected signature (the token
    // secret for PLAINTEXT); the simulator leaves it out so test logs stay clean.
    if (p.oauth_signature !== `&${this.creds.tokenSecret}`) return refuse('Invalid signature.');
    const nonceKey = `${p.oauth_consumer_key}:${p.oauth_token}:${p.oauth_nonce}`;
    if (this.nonces.has(nonceKey)) return refuse(`Nonce already used: ${p.oauth_nonce}`);
    this.nonces.add(nonceKey);
    return { ok: true };
  }
}

/** A client-side header for the simulator's own tests (the driver has its own). */
export function signPlaintext(creds: ApiCredentials, nonce: string, timestamp: number): string {
  const enc = encodeURIComponent;
  return `OAuth oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="${enc(creds.consumerKey)}", `
    + `oauth_token="${enc(creds.tokenKey)}", oauth_signature="${enc(`&${creds.tokenSecret}`)}", `
    + `oauth_nonce="${enc(nonce)}", oauth_timestamp="${timestamp}"`;
}
