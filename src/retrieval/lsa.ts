// Latent semantic analysis: TF-IDF over the knowledge base's own terms, reduced by a truncated
// SVD. Needs no network and no downloaded weights; it is trained from the essays themselves.
import { forEachCount, TermTable } from './term-table.ts';
import { indexTerms } from './tokenize.ts';
import { timesDense, transposeTimesDense, type SparseRows } from './sparse.ts';

/** A trained model as the index cache stores it: typed arrays, written and read as they are. */
export interface LsaModelData {
  vocabulary: string[];
  idf: Float64Array;
  dimensions: number;
  /** vocabulary.length × dimensions projection, row-major */
  projection: Float32Array;
}

/** Small deterministic PRNG (mulberry32) so the same corpus always gives the same model. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SparseRow {
  cols: Int32Array;
  vals: Float64Array;
}

function tfidfRow(terms: string[], index: Map<string, number>, idf: ArrayLike<number>): SparseRow {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const col = index.get(term);
    if (col !== undefined) counts.set(col, (counts.get(col) ?? 0) + 1);
  }
  return weightedRow([...counts], idf);
}

/** Log-scaled counts times idf, L2-normalised; the columns keep the order they are given in. */
function weightedRow(counts: Array<[number, number]>, idf: ArrayLike<number>): SparseRow {
  const cols = Int32Array.from(counts, ([col]) => col);
  const vals = new Float64Array(cols.length);
  let norm = 0;
  counts.forEach(([col, count], i) => {
    vals[i] = (1 + Math.log(count)) * idf[col];
    norm += vals[i] * vals[i];
  });
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vals.length; i += 1) vals[i] /= norm;
  return { cols, vals };
}

/** Every passage's weighted row as weightedRow makes it, in one set of arrays (terms in order of first occurrence). */
function tfidfRows(docs: Uint32Array[], scratch: Uint32Array, columnOf: Int32Array, idf: Float64Array): SparseRows {
  const start = new Uint32Array(docs.length + 1);
  docs.forEach((doc, r) => {
    let distinct = 0;
    forEachCount(doc, scratch, () => (distinct += 1));
    start[r + 1] = start[r] + distinct;
  });
  const index = new Int32Array(start[docs.length]);
  const values = new Float64Array(start[docs.length]);
  docs.forEach((doc, r) => {
    let at = start[r];
    let norm = 0;
    forEachCount(doc, scratch, (id, count) => {
      const col = columnOf[id];
      index[at] = col;
      values[at] = (1 + Math.log(count)) * idf[col];
      norm += values[at] * values[at];
      at += 1;
    });
    norm = Math.sqrt(norm) || 1;
    for (let p = start[r]; p < at; p += 1) values[p] /= norm;
  });
  return { start, index, values };
}

/** The columns of a row-major matrix (`count` rows of `width`), each its own array. */
function columnsOf<T extends Float32Array | Float64Array>(byRow: ArrayLike<number>, width: number, count: number, Type: { new (length: number): T }): T[] {
  return Array.from({ length: width }, (_, j) => {
    const col = new Type(count);
    for (let r = 0; r < count; r += 1) col[r] = byRow[r * width + j];
    return col;
  });
}

/** The row-major matrix of some columns of length `count`. */
function rowMajor<T extends Float32Array | Float64Array>(columns: ArrayLike<number>[], count: number, Type: { new (length: number): T }): T {
  const width = columns.length;
  const out = new Type(count * width);
  columns.forEach((col, j) => {
    for (let r = 0; r < count; r += 1) out[r * width + j] = col[r];
  });
  return out;
}

// Term-space vectors (length = vocabulary, large) are Float32 to halve peak memory at scale.
type Vector = Float64Array | Float32Array;

/**
 * Orthonormalises columns in place (modified Gram-Schmidt). Subtracting one column's projection
 * and taking the dot product with the next one (or the norm, after the last) share one pass over
 * the vector: the same operations in the same order as two passes, on half the memory traffic.
 */
export function orthonormalize(columns: Vector[]): void {
  for (let j = 0; j < columns.length; j += 1) {
    const v = columns[j];
    const length = v.length;
    let norm = 0;
    if (j === 0) for (let r = 0; r < length; r += 1) norm += v[r] * v[r];
    else {
      let dot = 0;
      const first = columns[0];
      for (let r = 0; r < length; r += 1) dot += first[r] * v[r];
      for (let i = 0; i < j; i += 1) {
        const u = columns[i];
        if (i + 1 < j) {
          const next = columns[i + 1];
          let nextDot = 0;
          for (let r = 0; r < length; r += 1) {
            v[r] -= dot * u[r];
            nextDot += next[r] * v[r];
          }
          dot = nextDot;
        } else {
          for (let r = 0; r < length; r += 1) {
            v[r] -= dot * u[r];
            norm += v[r] * v[r];
          }
        }
      }
    }
    norm = Math.sqrt(norm);
    if (norm < 1e-12) v.fill(0);
    else for (let r = 0; r < length; r += 1) v[r] /= norm;
  }
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. */
function symmetricEigen(matrix: Float64Array[], size: number): { values: number[]; vectors: Float64Array[] } {
  const a = matrix.map((row) => Float64Array.from(row));
  const v = Array.from({ length: size }, (_, i) => {
    const row = new Float64Array(size);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 60; sweep += 1) {
    let off = 0;
    for (let p = 0; p < size; p += 1) for (let q = p + 1; q < size; q += 1) off += a[p][q] * a[p][q];
    if (off < 1e-18) break;
    for (let p = 0; p < size; p += 1) {
      for (let q = p + 1; q < size; q += 1) {
        if (Math.abs(a[p][q]) < 1e-15) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k += 1) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k += 1) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k += 1) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = a.map((row, i) => row[i]);
  const vectors = Array.from({ length: size }, (_, col) => Float64Array.from(v, (row) => row[col]));
  return { values, vectors };
}

export class LsaModel {
  private readonly termIndex: Map<string, number>;

  private constructor(
    readonly vocabulary: string[],
    private readonly idf: Float64Array,
    readonly dimensions: number,
    private readonly projection: Float32Array,
  ) {
    this.termIndex = new Map(vocabulary.map((term, i) => [term, i]));
  }

  /** Trains on the given texts: TF-IDF, then a randomized truncated SVD (Halko et al.). */
  static train(texts: string[], requestedDimensions = 64, seed = 42): LsaModel {
    return LsaModel.trainOnTerms(texts.map((text) => indexTerms(text)), requestedDimensions, seed).model;
  }

  /**
   * Trains on tokenised documents and returns their vectors too, so each passage is tokenised
   * once. The loops run rows outermost (one pass over the sparse matrix per product) but add up
   * in the same order as a column at a time, so the model is bit for bit the same.
   */
  static trainOnTerms(
    docs: string[][],
    requestedDimensions = 64,
    seed = 42,
    onStep?: (done: number, total: number) => void,
  ): { model: LsaModel; vectors: number[][] } {
    const table = new TermTable();
    return LsaModel.trainOnTermIds(docs.map((terms) => table.encode(terms)), table.terms, requestedDimensions, seed, onStep);
  }

  /** As trainOnTerms, with each passage as ids into `terms` (see TermTable). */
  static trainOnTermIds(
    docs: Uint32Array[],
    terms: string[],
    requestedDimensions = 64,
    seed = 42,
    onStep?: (done: number, total: number) => void,
  ): { model: LsaModel; vectors: number[][] } {
    const steps = 8;
    let step = 0;
    const stepDone = (): void => onStep?.((step += 1), steps);
    const scratch = new Uint32Array(terms.length);
    const df = new Uint32Array(terms.length);
    for (const doc of docs) forEachCount(doc, scratch, (id) => (df[id] += 1));
    // the vocabulary in string order, as a sorted list of the terms would be
    const used: number[] = [];
    for (let id = 0; id < terms.length; id += 1) if (df[id] > 0) used.push(id);
    used.sort((a, b) => (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0));
    const vocabulary = used.map((id) => terms[id]);
    const columnOf = new Int32Array(terms.length).fill(-1);
    used.forEach((id, col) => (columnOf[id] = col));
    const n = docs.length;
    const idf = Float64Array.from(used, (id) => Math.log((1 + n) / (1 + df[id])) + 1);
    const rows = tfidfRows(docs, scratch, columnOf, idf);
    const m = vocabulary.length;
    const dimensions = Math.max(1, Math.min(requestedDimensions, n - 1, m));
    const l = Math.min(dimensions + 10, n, m);
    const rand = random(seed);
    const gaussian = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

    // X·Ω, then two power iterations Y ← X·(Xᵀ·Y) to sharpen the spectrum. The dense factors are
    // row-major (term × column or passage × column) for the products and split into columns to
    // be orthonormalised; Ω is drawn a column at a time, as it always was.
    const omega = new Float32Array(m * l);
    for (let j = 0; j < l; j += 1) for (let t = 0; t < m; t += 1) omega[t * l + j] = gaussian();
    // Y = X·Z (Z in single precision: exact in the doubles the sums run in), orthonormalised
    const times = (byTerm: Float32Array): Float64Array[] => {
      const q = columnsOf(timesDense(rows, byTerm, l), l, n, Float64Array);
      orthonormalize(q);
      return q;
    };
    // Z = Xᵀ·Q, summed in single precision
    const transposeTimes = (q: Float64Array[]): Float32Array => transposeTimesDense(rows, rowMajor(q, n, Float64Array), l, m);
    let q = times(omega);
    stepDone();
    for (let iteration = 0; iteration < 2; iteration += 1) {
      const z = columnsOf(transposeTimes(q), l, m, Float32Array);
      orthonormalize(z);
      stepDone();
      q = times(rowMajor(z, m, Float32Array));
      stepDone();
    }
    // B = Qᵀ·X (l×m); the eigenvectors of B·Bᵀ give the right singular vectors V = Bᵀ·W·Σ⁻¹.
    const bByTerm = transposeTimes(q);
    const b = columnsOf(bByTerm, l, m, Float32Array);
    stepDone();
    const gram = b.map(() => new Float64Array(l));
    for (let i = 0; i < l; i += 1) {
      for (let j = i; j < l; j += 1) {
        const bi = b[i];
        const bj = b[j];
        let sum = 0;
        for (let k = 0; k < m; k += 1) sum += bi[k] * bj[k];
        gram[i][j] = sum;
        gram[j][i] = sum;
      }
    }
    const { values, vectors } = symmetricEigen(gram, l);
    const order = values.map((value, i) => ({ value, i })).sort((x, y) => y.value - x.value).slice(0, dimensions);
    const projection = new Float32Array(m * dimensions);
    const sigmas = order.map(({ value }) => Math.sqrt(Math.max(value, 1e-12)));
    const ws = order.map(({ i }) => vectors[i]);
    // a term at a time: its row of B is read once for all dimensions
    for (let t = 0; t < m; t += 1) {
      const row = bByTerm.subarray(t * l, (t + 1) * l);
      for (let d = 0; d < dimensions; d += 1) {
        const w = ws[d];
        let sum = 0;
        for (let k = 0; k < l; k += 1) sum += row[k] * w[k];
        projection[t * dimensions + d] = sum / sigmas[d];
      }
    }
    stepDone();
    const model = new LsaModel(vocabulary, idf, dimensions, projection);
    // each passage's vector as model.project gives it: its nonzeros in order times the projection
    const flat = timesDense(rows, projection, dimensions);
    const passageVectors = Array.from({ length: n }, (_, r) => Array.from(flat.subarray(r * dimensions, (r + 1) * dimensions)));
    stepDone();
    return { model, vectors: passageVectors };
  }

  embed(text: string): number[] {
    return this.embedTerms(indexTerms(text));
  }

  /**
   * A text's vector from its index terms, in the space the model was trained on (terms it does
   * not know are left out): how passages added after training are folded in.
   */
  embedTerms(terms: string[]): number[] {
    return this.project(tfidfRow(terms, this.termIndex, this.idf));
  }

  private project(row: SparseRow): number[] {
    const out = new Array<number>(this.dimensions).fill(0);
    for (let i = 0; i < row.cols.length; i += 1) {
      const base = row.cols[i] * this.dimensions;
      for (let d = 0; d < this.dimensions; d += 1) out[d] += row.vals[i] * this.projection[base + d];
    }
    return out;
  }

  toData(): LsaModelData {
    return { vocabulary: this.vocabulary, idf: this.idf, dimensions: this.dimensions, projection: this.projection };
  }

  static fromData(data: LsaModelData): LsaModel {
    return new LsaModel(data.vocabulary, data.idf, data.dimensions, data.projection);
  }
}
