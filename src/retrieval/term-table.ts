// Index terms as integers while a build tokenises: one copy of each distinct term instead of one
// string per occurrence, which is what a build of ~100k passages would otherwise hold.
export class TermTable {
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  encode(terms: string[]): Uint32Array {
    return Uint32Array.from(terms, (term) => this.idOf(term));
  }
}

/**
 * Calls `visit(id, count)` for each distinct id of `doc`, in the order of first occurrence (the
 * order a Map of counts filled while reading the terms would give). `scratch` is a zeroed array
 * as long as the table; it is zero again afterwards.
 */
export function forEachCount(doc: Uint32Array, scratch: Uint32Array, visit: (id: number, count: number) => void): void {
  for (let i = 0; i < doc.length; i += 1) scratch[doc[i]] += 1;
  for (let i = 0; i < doc.length; i += 1) {
    const id = doc[i];
    const count = scratch[id];
    if (count === 0) continue; // already visited
    visit(id, count);
    scratch[id] = 0;
  }
}
