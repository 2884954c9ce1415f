import { OobError } from '../oob/oob-error.ts';

export type Json = Record<string, unknown>;

export interface RedfishReply {
  status: number;
  headers: Headers;
  body: Json | null;
}

// A BMC's resources are a few kilobytes; a larger answer is not a BMC talking.
const MAX_BODY_CHARS = 4 * 1_048_576;

/** Why a fetch to the BMC threw, in words that name the setting to change. */
function unreachable(err: unknown, timeoutMs: number): OobError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new OobError(`no answer within ${timeoutMs} ms (OOB_REQUEST_TIMEOUT_MS): the BMC is unreachable or too slow`);
  }
  const code = e?.cause?.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|certificate/i.test(`${code} ${e?.cause?.message ?? ''} ${e?.message ?? ''}`)) {
    return new OobError(
      `its TLS certificate is not trusted (${code || e?.cause?.message || e?.message}): put its CA in REDFISH_CA_FILE, ` +
        'or set REDFISH_VERIFY_TLS=false to accept any certificate',
    );
  }
  const why = [code, e?.cause?.message ?? e?.message].filter(Boolean).join(' ');
  return new OobError(`could not connect (${why || String(err)})`);
}

/** What a Redfish error body says (DSP0266 §9.7: error.message and @Message.ExtendedInfo). */
export function answerOf(reply: RedfishReply): string {
  const error = reply.body?.error as Json | undefined;
  const parts: string[] = [];
  if (typeof error?.message === 'string') parts.push(error.message);
  const info = error?.['@Message.ExtendedInfo'];
  if (Array.isArray(info)) for (const i of info) if (typeof (i as Json)?.Message === 'string') parts.push((i as Json).Message as string);
  const text = parts.join(' ').slice(0, 300);
  return text ? `HTTP ${reply.status}: ${text}` : `HTTP ${reply.status}`;
}

/**
 * Requests to one BMC, each bounded by the request timeout. `auth` is the
 * header the login chose (X-Auth-Token or Basic); it is never logged.
 */
export class RedfishHttp {
  auth: Record<string, string> = {};

  constructor(
    readonly base: string,
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RedfishReply> {
    const url = new URL(path, this.base);
    if (url.origin !== new URL(this.base).origin) throw new OobError(`the BMC pointed to ${url.origin}, another host; not followed`);
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: {
          Accept: 'application/json',
          'OData-Version': '4.0',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...this.auth,
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw unreachable(err, this.timeoutMs);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw unreachable(err, this.timeoutMs);
    }
    if (text.length > MAX_BODY_CHARS) throw new OobError(`the answer to ${method} ${url.pathname} is larger than ${MAX_BODY_CHARS} characters`);
    let parsed: Json | null = null;
    if (text.trim() !== '') {
      try {
        const value = JSON.parse(text) as unknown;
        parsed = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
      } catch {
        if (res.ok) throw new OobError(`the answer to ${method} ${url.pathname} is not JSON (HTTP ${res.status})`);
      }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** A request whose status must be one of `ok`, else an OobError saying what the BMC answered. */
  async expect(method: string, path: string, ok: readonly number[], body?: unknown, headers?: Record<string, string>): Promise<RedfishReply> {
    const reply = await this.request(method, path, body, headers);
    if (ok.includes(reply.status)) return reply;
    if (reply.status === 401 || reply.status === 403) {
      throw new OobError(`the BMC refused ${method} ${new URL(path, this.base).pathname} (${answerOf(reply)}): check oob.account and oob.credential`);
    }
    throw new OobError(`${method} ${new URL(path, this.base).pathname} failed: the BMC answered ${answerOf(reply)}`);
  }

  /** GET of a resource that must answer 200 with a JSON object. */
  async get(path: string): Promise<{ body: Json; etag: string | null }> {
    const reply = await this.expect('GET', path, [200]);
    if (!reply.body) throw new OobError(`GET ${new URL(path, this.base).pathname} answered no JSON object`);
    return { body: reply.body, etag: reply.headers.get('ETag') };
  }
}

/** The `@odata.id` of a link property, e.g. root.Systems. */
export function linkOf(value: unknown): string | null {
  const id = (value as Json | undefined)?.['@odata.id'];
  return typeof id === 'string' && id !== '' ? id : null;
}
