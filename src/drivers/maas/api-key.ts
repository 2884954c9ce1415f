/** A MAAS API key's three parts (MAAS shows it as `consumer_key:token_key:token_secret`). */
export interface MaasApiKey {
  consumerKey: string;
  tokenKey: string;
  tokenSecret: string;
}

/** The key's parts, or null when it is not three non-empty parts (its text is never repeated in a message). */
export function parseMaasApiKey(text: string): MaasApiKey | null {
  const parts = text.trim().split(':');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  const [consumerKey, tokenKey, tokenSecret] = parts as [string, string, string];
  return { consumerKey, tokenKey, tokenSecret };
}

// RFC 5849 §3.6: unreserved characters as they are, everything else %XX.
const oauthEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The Authorization header of one request: OAuth 1.0 with the PLAINTEXT
 * method MAAS uses (RFC 5849 §3.4.4: the signature is the consumer secret,
 * empty for MAAS keys, `&` and the token secret), a fresh nonce and the
 * current timestamp on every request.
 */
export function oauthHeader(key: MaasApiKey, nowMs: number, nonce: string = crypto.randomUUID()): string {
  const params: Array<[string, string]> = [
    ['oauth_version', '1.0'],
    ['oauth_signature_method', 'PLAINTEXT'],
    ['oauth_consumer_key', key.consumerKey],
    ['oauth_token', key.tokenKey],
    ['oauth_signature', `&${oauthEncode(key.tokenSecret)}`],
    ['oauth_nonce', nonce],
    ['oauth_timestamp', String(Math.floor(nowMs / 1000))],
  ];
  return `OAuth ${params.map(([k, v]) => `${k}="${oauthEncode(v)}"`).join(', ')}`;
}
