/**
 * Drydock's inheritance primitives (objects.Utils), the child being the more
 * specific document (node over profile, profile over parent profile).
 *
 * The parent is always an already-merged value with no markers left, and
 * merged values are never mutated (finalising copies them), so a child that
 * adds nothing may share its parent's value: thousands of nodes on one
 * profile then allocate almost nothing here.
 */

const REMOVE = '!';

export function isRemoval(name: string): boolean {
  return name.startsWith(REMOVE);
}

/**
 * A simple field: the child's value unless it is unset; `'!'` (or `-1` for
 * numbers) in the child explicitly unsets the inherited value.
 */
export function inheritField<T>(child: T | null, parent: T | null): T | null {
  if (child === null) return parent;
  if ((child as unknown) === REMOVE || (child as unknown) === -1) return null;
  return child;
}

/**
 * A list of strings: the child's entries (minus `!x` markers), then the
 * parent's entries that the child neither removed (`!x`) nor repeated.
 */
export function mergeLists(child: readonly string[], parent: readonly string[]): readonly string[] {
  if (child.length === 0) return parent;
  const removed = new Set<string>();
  const out: string[] = [];
  for (const x of child) {
    if (isRemoval(x)) removed.add(x.slice(1));
    else out.push(x);
  }
  const seen = new Set(out);
  for (const x of parent) {
    if (removed.has(x) || seen.has(x)) continue;
    seen.add(x);
    out.push(x);
  }
  return out;
}

/**
 * A mapping: the parent's keys the child did not remove (`!key`), overlaid
 * with the child's keys. Keys keep the parent's order, new keys follow.
 */
export function mergeDicts<V>(
  child: Readonly<Record<string, V>>,
  parent: Readonly<Record<string, V>>,
): Readonly<Record<string, V>> {
  const childKeys = Object.keys(child);
  if (childKeys.length === 0) return parent;
  const out: Record<string, V> = {};
  const removes = childKeys.some(isRemoval);
  for (const k of Object.keys(parent)) {
    if (!removes || !Object.hasOwn(child, REMOVE + k)) out[k] = parent[k] as V;
  }
  for (const k of childKeys) {
    if (!isRemoval(k)) out[k] = child[k] as V;
  }
  return out;
}

/**
 * A keyed list (interfaces, physical devices, partitions, volume groups,
 * logical volumes). Parent entries keep their order: dropped when the child
 * has `!name`, merged field by field when the child has `name`, otherwise
 * kept. Child-only entries follow in the child's order.
 *
 * Drydock's per-type copies of this loop have an `if add:` outside the parent
 * loop, so only the last unmatched parent entry survived; here every one does.
 * `merge(child, null)` must return the child with its own markers resolved.
 */
export function mergeKeyed<T>(
  child: readonly T[],
  parent: readonly T[],
  nameOf: (item: T) => string,
  merge: (child: T, parent: T | null) => T,
): readonly T[] {
  if (child.length === 0) return parent;
  const childByName = new Map<string, T>();
  const removed = new Set<string>();
  for (const c of child) {
    const name = nameOf(c);
    if (isRemoval(name)) removed.add(name.slice(1));
    else if (!childByName.has(name)) childByName.set(name, c);
  }
  const out: T[] = [];
  const parentNames = new Set<string>();
  for (const p of parent) {
    const name = nameOf(p);
    parentNames.add(name);
    if (removed.has(name)) continue;
    const c = childByName.get(name);
    out.push(c === undefined ? p : merge(c, p));
  }
  for (const c of child) {
    const name = nameOf(c);
    if (!isRemoval(name) && !parentNames.has(name)) out.push(merge(c, null));
  }
  return out;
}
