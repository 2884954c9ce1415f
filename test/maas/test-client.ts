import { randomUUID } from 'node:crypto';
import { signPlaintext } from './oauth.ts';
import type { MaasSimulator } from './simulator.ts';

/** A bare MAAS client for the simulator's own tests (the driver has its own). */
export interface CallOptions {
  op?: string;
  query?: Record<string, string | string[]>;
  form?: Record<string, string | string[]>;
  /** Send the form as multipart/form-data (as python-requests `files=` does) instead of urlencoded. */
  multipart?: boolean;
  apiKey?: string;
  authorization?: string | null;
}

export async function call(sim: MaasSimulator, method: string, path: string, o: CallOptions = {}): Promise<Response> {
  const url = new URL(`${sim.url}/api/2.0/${path}`);
  if (o.op) url.searchParams.set('op', o.op);
  for (const [k, v] of Object.entries(o.query ?? {})) for (const x of [v].flat()) url.searchParams.append(k, x);
  const [consumerKey, tokenKey, tokenSecret] = (o.apiKey ?? sim.apiKey).split(':') as [string, string, string];
  const headers: Record<string, string> = {};
  const auth = o.authorization === undefined
    ? signPlaintext({ consumerKey, tokenKey, tokenSecret }, randomUUID(), Math.floor(Date.now() / 1000))
    : o.authorization;
  if (auth !== null) headers.authorization = auth;
  let body: BodyInit | undefined;
  if (o.form) {
    const entries = Object.entries(o.form).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string]));
    if (o.multipart) {
      const fd = new FormData();
      for (const [k, v] of entries) fd.append(k, v);
      body = fd;
    } else {
      body = new URLSearchParams(entries);
    }
  }
  return fetch(url, { method, headers, body });
}

export async function callJson<T = any>(sim: MaasSimulator, method: string, path: string, o: CallOptions = {}): Promise<T> {
  const res = await call(sim, method, path, o);
  if (!res.ok) throw new Error(`${method} ${path} ${o.op ?? ''}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}
