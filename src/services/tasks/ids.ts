const HEX32 = /^[0-9a-f]{32}$/;

/**
 * A task id as Drydock's uuid.UUID() accepts it (hyphenated or not, in
 * braces, or as urn:uuid:), in the canonical lower-case hyphenated form the
 * database holds; null for anything else, which the API answers with 404.
 * Any UUID version is accepted: Drydock's own tests use ids like 1111…1111.
 */
export function normalizeTaskId(raw: string): string | null {
  let s = raw.trim().toLowerCase();
  if (s.startsWith('urn:uuid:')) s = s.slice('urn:uuid:'.length);
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  const hex = s.replaceAll('-', '');
  if (!HEX32.test(hex)) return null;
  if (s.length !== 32 && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
