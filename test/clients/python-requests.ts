/**
 * What Python's `requests` puts on the wire for Drydock's Python client and
 * Shipyard, so the replays send the same bytes: its default headers,
 * `params=` encoded by urlencode (a Python bool is `True`/`False`), `json=`
 * serialised by json.dumps (", " and ": " separators, non-ASCII escaped) with
 * `Content-Type: application/json`, and `data=<str>` sent as it is with no
 * Content-Type of its own. A header whose value is None is not sent.
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };
export type PyHeaders = Record<string, string | null | undefined>;

export interface PyRequest {
  headers?: PyHeaders;
  params?: Record<string, string | number | boolean>;
  /** requests' `json=`: serialised by json.dumps. */
  json?: PyValue;
  /** requests' `data=` given a str: sent as it is. */
  data?: string;
}

/** requests.utils.default_headers(), minus Connection (fetch manages it). */
const DEFAULT_HEADERS = {
  'User-Agent': 'python-requests/2.32.3',
  'Accept-Encoding': 'gzip, deflate',
  Accept: '*/*',
};

const pyString = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** json.dumps with its defaults. */
export function pyDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pyString(k)}: ${pyDumps(v)}`).join(', ')}}`;
}

const pyParam = (v: string | number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** requests.request(method, url, ...): headers merged over the defaults, None values dropped. */
export async function pyRequest(method: string, url: string, req: PyRequest = {}): Promise<Response> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(req.params ?? {})) target.searchParams.append(k, pyParam(v));
  const headers = new Headers();
  for (const [k, v] of Object.entries({ ...DEFAULT_HEADERS, ...req.headers })) {
    if (v !== null && v !== undefined) headers.set(k, v);
  }
  let body: string | undefined;
  if (req.data !== undefined) {
    body = req.data;
  } else if (req.json !== undefined) {
    body = pyDumps(req.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }
  return fetch(target, { method, headers, body });
}

/** requests' Response.ok. */
export const pyOk = (res: Response) => res.status < 400;
