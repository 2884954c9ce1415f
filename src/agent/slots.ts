/**
 * The calls an agent runs at once (AGENT_MAX_CALLS): the loop leases only as
 * many as there are free slots, waits for one to free before leasing again,
 * and on stop waits for the calls still running.
 */
export class CallSlots {
  readonly #running = new Set<Promise<void>>();

  constructor(
    readonly size: number,
    /** A running call's failure (a refused token) stops the agent; it never rejects the loop's wait. */
    readonly onError: (err: unknown) => void,
  ) {}

  get free(): number {
    return Math.max(0, this.size - this.#running.size);
  }

  /** Runs `work` in a slot (even past the size: the edge may answer more than asked). */
  run(work: Promise<void>): void {
    const running: Promise<void> = work.catch(this.onError).finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Settles once a slot is free. */
  async freed(): Promise<void> {
    while (this.free === 0) await Promise.race(this.#running);
  }

  /** Settles once no call runs. */
  async drained(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }
}
