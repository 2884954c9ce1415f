import { sha256Hex } from '../core/digest.ts';
import type { SiteModel } from '../design/model.ts';
import type { DesignLimits } from '../design/parse/limits.ts';
import { readDesignNow } from '../design/reader.ts';
import { LruCache } from '../design/site-cache.ts';
import { designFormatOf } from '../design/site-design.ts';

/** A design the agent cannot run a call with: the call fails with this reason. */
export class DesignUnusable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DesignUnusable';
  }
}

export interface DesignText {
  text: string;
  contentType: string | null;
}

/**
 * Compiled designs by content hash, bounded (a site works on a few designs
 * at a time). The text comes from the edge (GET /agents/designs/{hash});
 * its SHA-256 must be the hash the call names, so a call runs against
 * exactly the design its task pinned.
 */
export class DesignCache {
  readonly #sites: LruCache<SiteModel>;
  readonly #loading = new Map<string, Promise<SiteModel>>();
  constructor(
    readonly limits: DesignLimits,
    max = 8,
  ) {
    this.#sites = new LruCache<SiteModel>(max);
  }

  get size(): number {
    return this.#sites.size;
  }

  /**
   * The compiled site of `hash`, fetching its text with `fetchText` only when
   * not cached; calls running at once that need the same new design share one
   * fetch and one compile.
   */
  async site(hash: string, fetchText: () => Promise<DesignText>): Promise<SiteModel> {
    const cached = this.#sites.get(hash);
    if (cached) return cached;
    const loading = this.#loading.get(hash) ?? this.#load(hash, fetchText).finally(() => this.#loading.delete(hash));
    this.#loading.set(hash, loading);
    return loading;
  }

  async #load(hash: string, fetchText: () => Promise<DesignText>): Promise<SiteModel> {
    const design = await fetchText();
    const actual = await sha256Hex(new TextEncoder().encode(design.text));
    if (actual !== hash) throw new DesignUnusable(`the edge sent a design whose content hash is ${actual}, not ${hash}`);
    const format = designFormatOf({ ...design, ref: hash });
    const reading = readDesignNow({ text: design.text, format }, this.limits);
    if (reading.limit) throw new DesignUnusable(`design ${hash} could not be loaded: ${reading.limit.message}`);
    const errors = reading.loadMessages.filter((m) => m.error);
    if (errors.length > 0 || !reading.site) {
      throw new DesignUnusable(`design ${hash} could not be loaded: ${errors.map((m) => m.message).join('; ') || 'no site'}`);
    }
    this.#sites.set(hash, reading.site);
    return reading.site;
  }
}
