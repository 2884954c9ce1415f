// Keeps wrangler, Miniflare and Deno off the network: this project's scripts
// and tests must run with nothing but the npm registry reachable.
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  DENO_NO_UPDATE_CHECK: '1',
  DO_NOT_TRACK: '1',
};

export function offlineEnv(extra = {}) {
  return { ...process.env, ...OFFLINE_ENV, ...extra };
}
