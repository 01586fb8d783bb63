// Latent semantic analysis: TF-IDF over the knowledge base's own terms, reduced by a truncated
// SVD. Needs no network and no downloaded weights; it is trained from the essays themselves.
import { forEachCount, TermTable } from './term-table.ts';
import { indexTerms } from './tokenize.ts';

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

/** Orthonormalises the columns of an n×l column-major matrix in place (modified Gram-Schmidt). */
// Term-space vectors (length = vocabulary, large) are Float32 to halve peak memory at scale.
type Vector = Float64Array | Float32Array;

function orthonormalize(columns: Vector[]): void {
  for (let j = 0; j < columns.length; j += 1) {
    const v = columns[j];
    for (let i = 0; i < j; i += 1) {
      const u = columns[i];
      let dot = 0;
      for (let r = 0; r < v.length; r += 1) dot += u[r] * v[r];
      for (let r = 0; r < v.length; r += 1) v[r] -= dot * u[r];
    }
    let norm = 0;
    for (let r = 0; r < v.length; r += 1) norm += v[r] * v[r];
    norm = Math.sqrt(norm);
    if (norm < 1e-12) v.fill(0);
    else for (let r = 0; r < v.length; r += 1) v[r] /= norm;
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
    const rows = docs.map((doc) => {
      const counts: Array<[number, number]> = [];
      forEachCount(doc, scratch, (id, count) => counts.push([columnOf[id], count]));
      return weightedRow(counts, idf);
    });
    const m = vocabulary.length;
    const dimensions = Math.max(1, Math.min(requestedDimensions, n - 1, m));
    const l = Math.min(dimensions + 10, n, m);
    const rand = random(seed);
    const gaussian = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

    // X·Ω, then two power iterations Y ← X·(Xᵀ·Y) to sharpen the spectrum.
    const omega = Array.from({ length: l }, () => Float32Array.from({ length: m }, gaussian));
    // The dense factor is copied into a row-major (term × column) array so the inner loops run
    // over contiguous memory; every sum still adds the same products in the same order.
    const times = (dense: Vector[]): Float64Array[] => {
      const width = dense.length;
      const byTerm = new Float64Array(m * width);
      dense.forEach((col, j) => {
        for (let t = 0; t < m; t += 1) byTerm[t * width + j] = col[t];
      });
      const out = dense.map(() => new Float64Array(n));
      const sums = new Float64Array(width);
      for (let r = 0; r < n; r += 1) {
        const { cols, vals } = rows[r];
        sums.fill(0);
        for (let i = 0; i < cols.length; i += 1) {
          const value = vals[i];
          const base = cols[i] * width;
          for (let j = 0; j < width; j += 1) sums[j] += value * byTerm[base + j];
        }
        for (let j = 0; j < width; j += 1) out[j][r] = sums[j];
      }
      return out;
    };
    // Xᵀ·Y accumulated in Float32, row by row as before (same rounding at every step).
    const transposeTimesByTerm = (dense: Vector[]): Float32Array => {
      const width = dense.length;
      const out = new Float32Array(m * width);
      const weights = new Float64Array(width);
      for (let r = 0; r < n; r += 1) {
        const { cols, vals } = rows[r];
        for (let j = 0; j < width; j += 1) weights[j] = dense[j][r];
        for (let i = 0; i < cols.length; i += 1) {
          const value = vals[i];
          const base = cols[i] * width;
          for (let j = 0; j < width; j += 1) {
            const weight = weights[j];
            if (weight !== 0) out[base + j] += weight * value;
          }
        }
      }
      return out;
    };
    const columnsOf = (byTerm: Float32Array, width: number): Float32Array[] =>
      Array.from({ length: width }, (_, j) => {
        const col = new Float32Array(m);
        for (let t = 0; t < m; t += 1) col[t] = byTerm[t * width + j];
        return col;
      });
    const transposeTimes = (dense: Vector[]): Float32Array[] => columnsOf(transposeTimesByTerm(dense), dense.length);
    let q: Vector[] = times(omega);
    orthonormalize(q);
    stepDone();
    for (let iteration = 0; iteration < 2; iteration += 1) {
      const z = transposeTimes(q);
      orthonormalize(z);
      stepDone();
      q = times(z);
      orthonormalize(q);
      stepDone();
    }
    // B = Qᵀ·X (l×m); the eigenvectors of B·Bᵀ give the right singular vectors V = Bᵀ·W·Σ⁻¹.
    const bByTerm = transposeTimesByTerm(q);
    const b = columnsOf(bByTerm, l);
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
    order.forEach(({ value, i }, d) => {
      const sigma = Math.sqrt(Math.max(value, 1e-12));
      const w = vectors[i];
      for (let t = 0; t < m; t += 1) {
        let sum = 0;
        for (let k = 0; k < l; k += 1) sum += bByTerm[t * l + k] * w[k];
        projection[t * dimensions + d] = sum / sigma;
      }
    });
    stepDone();
    const model = new LsaModel(vocabulary, idf, dimensions, projection);
    const passageVectors = rows.map((row) => model.project(row));
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
