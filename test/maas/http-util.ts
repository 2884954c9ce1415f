import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request parsing and MAAS-shaped answers. MAAS (Django + piston3) reads
 * `op` from the query string or the form (api/support.py dispatch), and forms
 * as application/x-www-form-urlencoded or multipart/form-data.
 */
export interface MaasRequest {
  method: string;
  /** Path below /MAAS/api/2.0, with its trailing slash. */
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  op: string | null;
  headers: IncomingMessage['headers'];
}

export interface MaasReply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function readRequest(req: IncomingMessage): Promise<MaasRequest & { fullPath: string }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const form = new URLSearchParams();
  const ct = req.headers['content-type'] ?? '';
  if (raw.length > 0 && (ct.startsWith('multipart/form-data') || ct.startsWith('application/x-www-form-urlencoded'))) {
    // undici's Request parses both encodings the way a browser form posts them.
    const fd = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': ct }, body: raw })
      .formData();
    for (const [k, v] of fd.entries()) form.append(k, typeof v === 'string' ? v : await v.text());
  }
  const prefix = '/MAAS/api/2.0';
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    fullPath: url.pathname,
    path,
    query: url.searchParams,
    form,
    op: url.searchParams.get('op') ?? form.get('op'),
    headers: req.headers,
  };
}

export const json = (body: unknown, status = 200): MaasReply => ({ status, body });

/** MAASAPIException answers: the message as text/plain with the error's status. */
export const text = (status: number, body: string): MaasReply =>
  ({ status, body, contentType: 'text/plain; charset=utf-8' });

/** MAASAPIValidationError: 400 with the form's errors as JSON ({field: [messages]}). */
export const validation = (errors: Record<string, string[]>): MaasReply => json(errors, 400);

export const badSignature = (r: MaasRequest): MaasReply =>
  text(400, `Unrecognised signature: method=${r.method} op=${r.op ?? 'None'}`);

export function send(res: ServerResponse, reply: MaasReply): void {
  const isBytes = reply.body instanceof Uint8Array;
  const isText = typeof reply.body === 'string';
  const payload = isBytes || isText ? (reply.body as string | Uint8Array) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'),
    ...reply.headers,
  });
  res.end(payload);
}
