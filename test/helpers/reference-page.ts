import { expect } from 'vitest';

/** The page's checks, shared with the workerd test: a strict CSP and no inline script or style. */
export function expectStrictPage(html: string, headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.map((s) => s[1]!.match(/src="([^"]+)"/)?.[1])).toEqual(['docs/swagger-ui-bundle.js', 'docs/init.js']);
  expect(scripts.every((s) => s[2]!.trim() === '')).toBe(true);
  expect(html).not.toMatch(/<style|style=|https?:\/\//);
}
