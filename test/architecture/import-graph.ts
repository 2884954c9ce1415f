import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { LAYERS, layerOf } from './layers.ts';

/** One import between two files of src/, as paths relative to src/. */
export interface ImportEdge {
  from: string;
  to: string;
}

export interface ImportFindings {
  /** Files in a folder the layer table does not know. */
  unplaced: string[];
  /** Imports from one layer into another it may not import, as `from -> to (layer -> layer)`. */
  upward: string[];
  /** Cycles between layers, each as its layers in order. */
  cycles: string[][];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import (static, type-only, re-export or dynamic) between files of `srcDir`. */
export function importGraph(srcDir: string): ImportEdge[] {
  const root = resolve(srcDir);
  const toSrc = (path: string) => relative(root, path).split(sep).join(posix.sep);
  return sourceFiles(root).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return importedFiles
      .filter((ref) => ref.fileName.startsWith('.'))
      .map((ref) => ({ from: toSrc(file), to: toSrc(resolve(dirname(file), ref.fileName)) }));
  });
}

/** Strongly connected groups of more than one node (Tarjan). */
function cyclesOf(arrows: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of arrows.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      group.push(member);
    } while (member !== node);
    if (group.length > 1) cycles.push(group.reverse());
  };
  for (const node of arrows.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Checks a graph against the layer table: every arrow points down it, and no layers form a cycle. */
export function checkImports(edges: ImportEdge[], layers: Record<string, readonly string[]> = LAYERS): ImportFindings {
  const unplaced = new Set<string>();
  const upward: string[] = [];
  const arrows = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [layerOf(from), layerOf(to)];
    if (a === null) unplaced.add(from);
    if (b === null) unplaced.add(to);
    if (a === null || b === null || a === b) continue;
    if (!arrows.has(a)) arrows.set(a, new Set());
    arrows.get(a)!.add(b);
    if (!layers[a]?.includes(b)) upward.push(`${from} -> ${to} (${a} -> ${b})`);
  }
  return { unplaced: [...unplaced].sort(), upward, cycles: cyclesOf(arrows) };
}

const folderOf = (path: string) => posix.dirname(path);
const nests = (outer: string, inner: string) => outer === '.' || inner.startsWith(`${outer}/`);

/**
 * Cycles between sub-folders inside one layer (e.g. design/parse and
 * design/compile). A folder and its own sub-folders may import each other
 * (an index.ts over its parts, parts sharing the parent's model): those
 * arrows are left out.
 */
export function subfolderCycles(edges: ImportEdge[]): string[][] {
  const arrows = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === b || nests(a, b) || nests(b, a)) continue;
    if (!arrows.has(a)) arrows.set(a, new Set());
    arrows.get(a)!.add(b);
  }
  return cyclesOf(arrows);
}

