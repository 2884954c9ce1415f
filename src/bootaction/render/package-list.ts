/**
 * `pkg_list` assets: package name -> version (null: any version). Inline
 * lists come compiled in the model; a `location` is fetched (its location
 * pipeline rendered first) and read as Drydock did with yaml.safe_load: a
 * YAML 1.1 (or JSON) document whose top level is a mapping of string keys to
 * string or null values. An unquoted `1.0` is a number in YAML, not a
 * version string, so Drydock refused it, and so do we.
 */
import { isAlias, isMap, isScalar, parseDocument, type Document } from 'yaml';
import { decodeUtf8 } from '../../template/pipeline.ts';

export type PackageList = Record<string, string | null>;

export class PackageListError extends Error {}

/** A record without a prototype, so a package named __proto__ is just a key. */
export function emptyPackageList(): PackageList {
  return Object.create(null) as PackageList;
}

export function parsePackageList(bytes: Uint8Array): PackageList {
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch {
    throw new PackageListError('the package list is not valid UTF-8');
  }
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) throw new PackageListError(`invalid YAML in the package list: ${problem.message.split('\n')[0]}`);
  const top = doc.contents;
  if (!isMap(top)) throw new PackageListError('the package list must have a top-level mapping of package names to versions');
  const out = emptyPackageList();
  for (const pair of top.items) {
    const key = scalarValue(doc, pair.key);
    const raw = pair.value === null ? null : scalarValue(doc, pair.value);
    if (typeof key !== 'string' || (raw !== null && typeof raw !== 'string')) {
      const name = typeof key === 'string' ? key : String(key);
      throw new PackageListError(`package names and versions must be strings (see ${name}); quote versions such as '1.0'`);
    }
    out[key] = raw;
  }
  return out;
}

/** A scalar's value, through an alias; undefined for a collection. */
function scalarValue(doc: Document, node: unknown): unknown {
  const target = isAlias(node) ? node.resolve(doc) : node;
  return isScalar(target) ? target.value : undefined;
}
