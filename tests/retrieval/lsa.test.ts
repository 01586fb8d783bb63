import { describe, expect, it } from 'vitest';
import { orthonormalize } from '../../src/retrieval/lsa.ts';
import { timesDense, transposeTimesDense, type SparseRows } from '../../src/retrieval/sparse.ts';

// LSA training's loops were rearranged for speed; the model must stay bit for bit what the plain
// loops (one dot product at a time, as the training was first written) give.

/** A deterministic sparse matrix with rows of different lengths, a few empty. */
function sparse(rows: number, columns: number, seed = 7): SparseRows {
  let state = seed;
  const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = new Uint32Array(rows + 1);
  const index: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r += 1) {
    const used = new Set<number>();
    const count = r % 5 === 4 ? 0 : 1 + Math.floor(next() * Math.min(12, columns));
    while (used.size < count) used.add(Math.floor(next() * columns));
    for (const c of used) index.push(c), values.push(next() * 2 - 1);
    start[r + 1] = index.length;
  }
  return { start, index: Int32Array.from(index), values: Float64Array.from(values) };
}

function dense<T extends Float32Array | Float64Array>(Type: { from(values: number[]): T }, length: number, seed: number, zeros = false): T {
  return Type.from(Array.from({ length }, (_, i) => (zeros && i % 7 === 3 ? 0 : Math.sin(seed + i * 1.37) * 3)));
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

describe('LSA training arithmetic', () => {
  // width 13: one block of eight columns and five left over
  const rows = sparse(40, 30);
  const width = 13;

  it('multiplies a sparse matrix by a dense one with every sum in the order of the row', () => {
    const byTerm = dense(Float32Array, 30 * width, 1);
    const plain = new Float64Array(40 * width);
    for (let r = 0; r < 40; r += 1) {
      const sums = new Float64Array(width);
      for (let p = rows.start[r]; p < rows.start[r + 1]; p += 1) for (let j = 0; j < width; j += 1) sums[j] += rows.values[p] * byTerm[rows.index[p] * width + j];
      plain.set(sums, r * width);
    }
    expect(same(timesDense(rows, byTerm, width), plain)).toBe(true);
  });

  it('multiplies by the transpose as adding into a Float32Array row by row does, skipping zero weights', () => {
    const q = dense(Float64Array, 40 * width, 2, true);
    const plain = new Float32Array(30 * width);
    for (let r = 0; r < 40; r += 1) {
      for (let p = rows.start[r]; p < rows.start[r + 1]; p += 1) {
        for (let j = 0; j < width; j += 1) {
          const weight = q[r * width + j];
          if (weight !== 0) plain[rows.index[p] * width + j] += weight * rows.values[p];
        }
      }
    }
    expect(same(transposeTimesDense(rows, q, width, 30), plain)).toBe(true);
  });

  it('orthonormalises with the same rounding as two passes per projection', () => {
    const kinds: Array<(values: number[]) => Float32Array | Float64Array> = [(values) => Float32Array.from(values), (values) => Float64Array.from(values)];
    for (const from of kinds) {
      const columns = Array.from({ length: 9 }, (_, j) => dense({ from }, 50, j + 10));
      columns[5] = columns[2].slice(); // a dependent column becomes zero
      const plain = columns.map((column) => column.slice());
      for (let j = 0; j < plain.length; j += 1) {
        const v = plain[j];
        for (let i = 0; i < j; i += 1) {
          let dot = 0;
          for (let r = 0; r < v.length; r += 1) dot += plain[i][r] * v[r];
          for (let r = 0; r < v.length; r += 1) v[r] -= dot * plain[i][r];
        }
        let norm = 0;
        for (let r = 0; r < v.length; r += 1) norm += v[r] * v[r];
        norm = Math.sqrt(norm);
        if (norm < 1e-12) v.fill(0);
        else for (let r = 0; r < v.length; r += 1) v[r] /= norm;
      }
      orthonormalize(columns);
      columns.forEach((column, j) => expect(same(column, plain[j])).toBe(true));
    }
  });
});
