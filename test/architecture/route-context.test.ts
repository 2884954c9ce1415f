import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROUTES = fileURLToPath(new URL('../../src/routes/', import.meta.url));

describe('routes and the service context', () => {
  it("routes pass the request's service context (c.get('ctx')), never assemble one from the app-wide services", () => {
    const files = readdirSync(ROUTES).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((f) => /get\(\s*['"]services['"]\s*\)/.test(readFileSync(ROUTES + f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
