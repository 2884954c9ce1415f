/**
 * D1 refuses a statement with more than 100 bound parameters, so every
 * `IN (...)` over a list of ids is split into chunks of this size (leaving
 * room for the statement's other parameters).
 */
export const ID_CHUNK = 90;

export function chunked<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
