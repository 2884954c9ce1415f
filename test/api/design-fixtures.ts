import { generateSite } from '../../bench/site-generator.ts';
import { buildTestApp, digestOf } from '../helpers/app.ts';

export const ADMIN = 'admin-token-for-design-tests';
export const READER = 'reader-token-for-design-tests';

/** The app in token mode: an admin, and a member the default policy refuses. */
export async function designApp(env: Record<string, string> = {}) {
  return buildTestApp({
    env: {
      AUTH_MODE: 'token',
      AUTH_TOKENS: `ops:admin:${await digestOf(ADMIN)},viewer:member:${await digestOf(READER)}`,
      ...env,
    },
  });
}

export const asAdmin = (extra: Record<string, string> = {}) => ({ 'X-Auth-Token': ADMIN, ...extra });

export function postJson(body: unknown, token = ADMIN): RequestInit {
  return {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
  };
}

export function postYaml(text: string, token = ADMIN): RequestInit {
  return { method: 'POST', body: text, headers: { 'Content-Type': 'application/x-yaml', 'X-Auth-Token': token } };
}

/** A valid four-node site (the size of Drydock's own sample site). */
export const smallSite = () => generateSite(4);
