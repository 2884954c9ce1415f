/**
 * Every URL this service gives out for itself is built here, so they agree:
 * task result links (`detail_logs`), the boot action report URL rendered
 * into nodes' files and handed to the node driver, and the simulated nodes'
 * own requests.
 *
 * The base is PUBLIC_URL, path prefix kept (`https://edge.example/drydock`
 * behind a proxy that strips `/drydock`), else the origin of the request
 * being answered. Shipyard fetches `detail_logs` as it is, so links are
 * absolute; they are stored as paths of this service (`/api/v1.0/…`) and
 * made absolute when answered, so a changed PUBLIC_URL applies to old tasks.
 */
import { API_PREFIX } from './app-paths.ts';

export interface PublicUrlConfig {
  PUBLIC_URL?: string | undefined;
  BOOTACTION_REPORT_URL?: string | undefined;
}

/** PUBLIC_URL (origin and path, no trailing slash), else the request's origin; null with neither. */
export function publicBase(config: PublicUrlConfig, requestUrl?: string): string | null {
  if (config.PUBLIC_URL) {
    const url = new URL(config.PUBLIC_URL);
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  }
  return requestUrl ? new URL(requestUrl).origin : null;
}

/** The path of an API resource as stored (`/api/v1.0/tasks/<id>/builddata`); `path` starts with `/`. */
export function apiPath(path: string): string {
  return `${API_PREFIX}${path}`;
}

/** An absolute URL of an API resource under `base`. */
export function apiUrl(base: string, path: string): string {
  return `${base}${apiPath(path)}`;
}

/** A stored link as clients get it: paths of this service under `base`, other URLs unchanged. */
export function absoluteLink(base: string, href: string): string {
  return href.startsWith('/') ? `${base}${href}` : href;
}

/**
 * Where nodes report boot action status: BOOTACTION_REPORT_URL, else this
 * service's `/api/v1.0/bootactions/` (with the trailing slash Drydock's Go
 * client appends action ids to); '' when no base is known (Workers without
 * PUBLIC_URL outside a request).
 */
export function bootActionReportUrl(config: PublicUrlConfig, requestUrl?: string): string {
  if (config.BOOTACTION_REPORT_URL) return config.BOOTACTION_REPORT_URL;
  const base = publicBase(config, requestUrl);
  return base === null ? '' : apiUrl(base, '/bootactions/');
}
