import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenServer } from '../helpers/e2e-api.ts';
import { DENO_ENTRY, type Server } from '../helpers/spawn.ts';
import { signInOverHttp } from './ui-fixtures.ts';

// The web view's JSX is compiled by Deno itself (each .tsx file names
// hono/jsx as its JSX import source): sign in and render a page on Deno.

let dir: string;
let server: Server | undefined;
let token = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-ui-deno-'));
  ({ server, token } = await startTokenServer(DENO_ENTRY, dir, { LOG_LEVEL: 'warn' }));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the web view on Deno', () => {
  it('signs in and renders the tasks page', async () => {
    const cookie = await signInOverHttp(server!.url, token);
    const res = await fetch(`${server!.url}/ui/tasks`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain('<h1>Tasks</h1>');
    expect(html).not.toContain(token);
  });
});
