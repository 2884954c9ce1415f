import type { DesignDocument } from '../document.ts';
import type { HostProfile, ValidationMessage } from '../model.ts';
import { finalHost, mergeHostLayers, parseHostLayer } from './host-layer.ts';
import { EMPTY_HOST, type HostLayer } from './layers.ts';
import { compileError, docRef } from './messages.ts';
import { str } from './values.ts';

/**
 * Compiles HostProfile chains (parent_profile, written `host_profile`) once
 * each and remembers the result, so any number of nodes on a profile cost
 * one walk. Walks are iterative: a long chain cannot overflow the stack, and
 * a cycle is reported once and cut where it closes (the profile that points
 * back into the chain compiles as if it had no parent). Drydock recursed
 * without a guard, and only for profiles some node used.
 */
export class ProfileResolver {
  readonly #docs: ReadonlyMap<string, DesignDocument>;
  readonly #messages: ValidationMessage[];
  readonly #compiled = new Map<string, HostLayer>();

  constructor(docs: ReadonlyMap<string, DesignDocument>, messages: ValidationMessage[]) {
    this.#docs = docs;
    this.#messages = messages;
  }

  has(name: string): boolean {
    return this.#docs.has(name);
  }

  /** The compiled layer of a known profile (`has(name)` must be true). */
  resolve(name: string): HostLayer {
    const done = this.#compiled.get(name);
    if (done !== undefined) return done;

    const chain: string[] = [];
    const onChain = new Set<string>();
    let base: HostLayer = EMPTY_HOST;
    let current: string | null = name;
    while (current !== null) {
      const memo = this.#compiled.get(current);
      if (memo !== undefined) {
        base = memo;
        break;
      }
      if (onChain.has(current)) {
        this.#reportCycle(chain.slice(chain.indexOf(current)));
        break;
      }
      const doc = this.#docs.get(current);
      if (doc === undefined) {
        const child = chain[chain.length - 1];
        if (child !== undefined) this.#reportMissingParent(child, current);
        break;
      }
      chain.push(current);
      onChain.add(current);
      current = str(doc.data.host_profile);
    }

    for (let i = chain.length - 1; i >= 0; i--) {
      const profile = chain[i] as string;
      const doc = this.#docs.get(profile) as DesignDocument;
      base = mergeHostLayers(parseHostLayer(doc.data), base);
      this.#compiled.set(profile, base);
    }
    return base;
  }

  /** Every HostProfile compiled, in document order. */
  compileAll(): Map<string, HostProfile> {
    const out = new Map<string, HostProfile>();
    for (const [name, doc] of this.#docs) {
      out.set(name, {
        name,
        doc: docRef(doc),
        parentProfile: str(doc.data.host_profile),
        ...finalHost(this.resolve(name)),
      });
    }
    return out;
  }

  #reportMissingParent(child: string, parent: string): void {
    const doc = this.#docs.get(child) as DesignDocument;
    this.#messages.push(
      compileError(`HostProfile ${child} names parent profile ${parent}, which is not defined.`, [docRef(doc)]),
    );
  }

  #reportCycle(cycle: string[]): void {
    const docs = cycle.map((n) => docRef(this.#docs.get(n) as DesignDocument));
    const path = [...cycle, cycle[0]].join(' -> ');
    this.#messages.push(compileError(`HostProfile inheritance cycle: ${path}.`, docs));
  }
}
