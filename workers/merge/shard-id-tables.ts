import { TABLES_PER_GENERATION } from '../../src/protocol.js';

/**
 * Per shard, what each of its series ids stands for in the merger. A shard numbers its
 * series afresh on every table generation (a new worker after a failure, or the same worker
 * starting a fresh table on reload or under a name flood), so ids are read per generation.
 *
 *   shard ─▶ current table (generation g) ─▶ previous table (g - 1, same worker only)
 *
 * The previous table is kept for one more generation: a late delta of the old table must
 * still find its series.
 */
interface IdTable<T> {
  generation: number;
  /** bySlot[kind][slot]: ids are slot * 4 + kind, so each kind indexes densely. */
  bySlot: T[][];
  previous: IdTable<T> | null;
}

export class ShardIdTables<T> {
  readonly #tables = new Map<number, IdTable<T>>();

  /** Records what `id` of that shard generation stands for. */
  set(shard: number, generation: number, id: number, value: T): void {
    this.#tableFor(shard, generation).bySlot[id & 3][id >>> 2] = value;
  }

  /** What `id` stands for; undefined when its generation or the id is unknown. */
  get(shard: number, generation: number, id: number): T | undefined {
    const current = this.#tables.get(shard);
    const table = current?.generation === generation ? current : current?.previous;
    if (table == null || table.generation !== generation) return undefined;
    return table.bySlot[id & 3][id >>> 2];
  }

  #tableFor(shard: number, generation: number): IdTable<T> {
    let table = this.#tables.get(shard);
    // A late delta of a replaced generation must not wipe its successor's table: it goes to
    // the previous table when that is its own, else nowhere.
    if (table !== undefined && generation < table.generation) {
      if (table.previous?.generation === generation) return table.previous;
      return { generation, bySlot: [[], [], [], []], previous: null };
    }
    if (table === undefined || table.generation !== generation) {
      // Only a table restart keeps the table before; a failed worker's ids go nowhere.
      const isSameWorker =
        table !== undefined &&
        Math.floor(table.generation / TABLES_PER_GENERATION) ===
          Math.floor(generation / TABLES_PER_GENERATION);
      if (table !== undefined) table.previous = null;
      const previous = isSameWorker ? table! : null;
      table = { generation, bySlot: [[], [], [], []], previous };
      this.#tables.set(shard, table);
    }
    return table;
  }
}
