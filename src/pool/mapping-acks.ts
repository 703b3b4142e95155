/**
 * Which threads have applied which version of the mapping rules, so a reload can answer
 * only once all of them have. Participants are numbered: the merger and each shard.
 *
 *   reload ──version n──▶ merger, shard 0..k   (MappingUpdate)
 *          ◀──applied n── each, when it has switched   (MappingApplied)
 *
 * A shard acknowledges after its next epoch boundary, when every spelling it reads is mapped
 * by the new rules; a shard started afresh (after a failure) starts with the latest rules
 * and is acknowledged by the pool at once.
 */
export class MappingAcks {
  readonly #names: readonly string[];
  readonly #applied: number[];
  #version = 0;
  #waiters: Array<{ version: number; resolve: (missing: string[]) => void }> = [];

  /** `names`: one per participant, used in the answer when some did not acknowledge. */
  constructor(names: readonly string[]) {
    this.#names = names;
    this.#applied = names.map(() => 0);
  }

  /** The version the next reload sends. */
  nextVersion(): number {
    return ++this.#version;
  }

  /** The latest version sent; a restarted shard starts with these rules. */
  get currentVersion(): number {
    return this.#version;
  }

  acknowledge(participant: number, version: number): void {
    if (version <= this.#applied[participant]) return;
    this.#applied[participant] = version;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.#missing(waiter.version).length > 0) return true;
      waiter.resolve([]);
      return false;
    });
  }

  /**
   * Resolves with the names of the participants that had not applied `version` after
   * `timeoutMs`, or with none as soon as all have.
   */
  waitFor(version: number, timeoutMs: number): Promise<string[]> {
    if (this.#missing(version).length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const waiter = { version, resolve };
      this.#waiters.push(waiter);
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        resolve(this.#missing(version));
      }, timeoutMs);
      // A pending reload answer must not keep a stopping daemon alive.
      timer.unref();
      waiter.resolve = (missing) => {
        clearTimeout(timer);
        resolve(missing);
      };
    });
  }

  #missing(version: number): string[] {
    return this.#names.filter((_, participant) => this.#applied[participant] < version);
  }
}
