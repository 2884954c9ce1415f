import { DEFAULT_DESIGN_LIMITS, NO_DEADLINE, type Deadline } from './limits.ts';
import { parseYamlCoarsely, PRECISE_MAX_BYTES } from './yaml-coarse.ts';
import type { DocumentStream } from './stream.ts';
import { parseYamlFast } from './yaml-fast.ts';
import { parseYamlPrecisely } from './yaml-precise.ts';

export type { DocumentStream } from './stream.ts';
/** JSON bodies (application/json) are read by their own function. */
export { parseJsonDocuments } from './json-stream.ts';
export { MAX_ALIAS_COUNT } from './yaml-precise.ts';

/**
 * Reads a YAML multi-document stream as Drydock does (PyYAML, YAML 1.1:
 * merge keys, `yes`/`no` booleans, `0755` octal). Documents with syntax
 * errors are reported and left out; the others are still returned, so one
 * request reports every problem. A key repeated in a mapping keeps its last
 * value, as PyYAML does, and is reported as a warning.
 *
 * Two readers, one result. The `yaml` package (yaml-precise.ts) knows every
 * node's position, so its errors and warnings name a line and column, but it
 * costs ~0.5-0.9 ms per node document: seconds for a large site. js-yaml
 * (yaml-fast.ts) reads the same text about ten times faster, with the same
 * scalar resolution (yaml-fast-schema.ts), but has no positions and stops at
 * the first problem. So js-yaml reads first, and any problem at all (a
 * syntax error, a repeated key, an unusual construct) sends the whole
 * stream to the `yaml` package: valid designs are fast, and invalid ones get
 * exactly the messages they always had.
 *
 * Aliases: js-yaml shares one object between an anchor and its aliases, so a
 * "billion laughs" document stays small in memory but would cost exponential
 * time to whatever walks it later (schema checks, the compiler). Rather than
 * a second alias budget that could disagree with the package's
 * (MAX_ALIAS_COUNT), a document with an anchor is read by the package on its
 * own: it keeps the package's verdict exactly, and its failure sends the
 * stream to the package as any other. Designs seldom use anchors, so this
 * costs little.
 *
 * Size: the `yaml` package needs about 200 bytes of memory per byte of
 * text. A stream over PRECISE_MAX_BYTES that js-yaml cannot read cleanly is
 * read by js-yaml alone, document by document (yaml-coarse.ts): coarser
 * messages, bounded memory.
 *
 * Positions: js-yaml has none. Document lines come from the markers
 * (yaml-split.ts); the line of a key, which only messages about an invalid
 * document need (DD001, DD000), comes from reading that one document again
 * with the package when a message asks for it.
 */
export function parseYamlStream(text: string, deadline: Deadline = NO_DEADLINE, maxNodes = DEFAULT_DESIGN_LIMITS.maxNodes): DocumentStream {
  const fast = parseYamlFast(text, deadline)?.stream;
  if (fast) return fast;
  return text.length <= PRECISE_MAX_BYTES ? parseYamlPrecisely(text, deadline) : parseYamlCoarsely(text, maxNodes, deadline);
}
