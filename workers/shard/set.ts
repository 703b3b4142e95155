/** Distinct members per set series, for one epoch. */
export class SetStore {
  #members = new Map<number, { samples: number; members: Set<string> }>();

  add(id: number, member: string): void {
    let entry = this.#members.get(id);
    if (entry === undefined) {
      entry = { samples: 0, members: new Set() };
      this.#members.set(id, entry);
    }
    entry.samples++;
    entry.members.add(member);
  }

  drain(): Array<[number, number, string[]]> {
    const drained: Array<[number, number, string[]]> = [];
    for (const [id, entry] of this.#members) drained.push([id, entry.samples, [...entry.members]]);
    this.#members = new Map();
    return drained;
  }
}
