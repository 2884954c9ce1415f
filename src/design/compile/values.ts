/**
 * Readers over a document body. Bodies are schema-checked before they get
 * here, but the schemas leave much open (additionalProperties, numbers where
 * the model wants strings), so each reader accepts what YAML can produce and
 * falls back instead of throwing: compile must always return a site.
 */
export type Body = Record<string, unknown>;

export function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function body(value: unknown): Body {
  return isBody(value) ? value : {};
}

/** A scalar as a string (YAML may read `vlan: 102` as a number), else null. */
export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function strList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    const s = str(item);
    if (s !== null) out.push(s);
  }
  return out;
}

/** A mapping of scalars as strings (labels, owner_data, location). */
export function strMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isBody(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const s = str(v);
    if (s !== null) out[k] = s;
  }
  return out;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
