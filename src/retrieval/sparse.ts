// The products LSA training spends its time in: a sparse passage × term matrix (TF-IDF rows)
// times a dense matrix of a few dozen columns, and its transpose times one. Each output element
// is still summed over the same nonzeros in the same order as one dot product at a time would
// (so the results are bit for bit those of the plain loops). What changed is the order the
// elements are computed in: eight output columns at a time, with their sums in local variables
// over one pass of a row's nonzeros, and those eight columns of the dense matrix copied out
// together (small enough to stay in the processor's cache); the transpose is read by term, from
// its own copy of the nonzeros grouped by term (rows ascending).
/** Rows of nonzeros: row r is index[start[r] .. start[r + 1]) with its values alongside. */
export interface SparseRows {
  start: Uint32Array;
  index: Int32Array;
  values: Float64Array;
}

/** The same nonzeros grouped by column (each column's rows ascending): the transpose's rows. */
export function transpose(rows: SparseRows, columns: number): SparseRows {
  const count = rows.start.length - 1;
  const start = new Uint32Array(columns + 1);
  for (let p = 0; p < rows.index.length; p += 1) start[rows.index[p] + 1] += 1;
  for (let c = 0; c < columns; c += 1) start[c + 1] += start[c];
  const cursor = start.slice(0, columns);
  const index = new Int32Array(rows.index.length);
  const values = new Float64Array(rows.index.length);
  for (let r = 0; r < count; r += 1) {
    for (let p = rows.start[r]; p < rows.start[r + 1]; p += 1) {
      const at = cursor[rows.index[p]]++;
      index[at] = r;
      values[at] = rows.values[p];
    }
  }
  return { start, index, values };
}

/** Columns j .. j + 8 of a row-major matrix, row-major: what one pass over the nonzeros reads. */
function eightColumns<T extends Float32Array | Float64Array>(dense: T, width: number, j: number, into: T): T {
  const count = dense.length / width;
  for (let t = 0; t < count; t += 1) for (let k = 0; k < 8; k += 1) into[t * 8 + k] = dense[t * width + j + k];
  return into;
}

/**
 * rows × dense, dense row-major (one row of `width` per column index of `rows`): out[r · width + j]
 * = Σ_p values[p] · dense[index[p] · width + j] over the row's nonzeros in order, summed in doubles.
 */
export function timesDense(rows: SparseRows, dense: Float32Array | Float64Array, width: number): Float64Array {
  const { start, index, values } = rows;
  const count = start.length - 1;
  const out = new Float64Array(count * width);
  const blocked = width - (width % 8);
  const block = dense instanceof Float32Array ? new Float32Array((dense.length / width) * 8) : new Float64Array((dense.length / width) * 8);
  for (let j = 0; j < blocked; j += 8) {
    eightColumns(dense, width, j, block);
    for (let r = 0; r < count; r += 1) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // prettier-ignore
      for (let p = start[r], to = start[r + 1]; p < to; p += 1) {
        const value = values[p];
        const base = index[p] * 8;
        s0 += value * block[base];
        s1 += value * block[base + 1];
        s2 += value * block[base + 2];
        s3 += value * block[base + 3];
        s4 += value * block[base + 4];
        s5 += value * block[base + 5];
        s6 += value * block[base + 6];
        s7 += value * block[base + 7];
      }
      const at = r * width + j;
      out[at] = s0;
      out[at + 1] = s1;
      out[at + 2] = s2;
      out[at + 3] = s3;
      out[at + 4] = s4;
      out[at + 5] = s5;
      out[at + 6] = s6;
      out[at + 7] = s7;
    }
  }
  for (let r = 0; r < count; r += 1) {
    for (let j = blocked; j < width; j += 1) {
      let sum = 0;
      for (let p = start[r], to = start[r + 1]; p < to; p += 1) sum += values[p] * dense[index[p] * width + j];
      out[r * width + j] = sum;
    }
  }
  return out;
}

/**
 * As timesDense, with every partial sum rounded to single precision (as adding into a Float32Array
 * element by element does) and nonzeros whose dense weight is 0 skipped; the result in Float32.
 */
export function timesDenseSingle(rows: SparseRows, dense: Float64Array, width: number): Float32Array {
  const { start, index, values } = rows;
  const count = start.length - 1;
  const out = new Float32Array(count * width);
  const round = Math.fround;
  const blocked = width - (width % 8);
  const block = new Float64Array((dense.length / width) * 8);
  for (let j = 0; j < blocked; j += 8) {
    eightColumns(dense, width, j, block);
    for (let r = 0; r < count; r += 1) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // prettier-ignore
      for (let p = start[r], to = start[r + 1]; p < to; p += 1) {
        const value = values[p];
        const base = index[p] * 8;
        const w0 = block[base], w1 = block[base + 1], w2 = block[base + 2], w3 = block[base + 3]; // prettier-ignore
        const w4 = block[base + 4], w5 = block[base + 5], w6 = block[base + 6], w7 = block[base + 7]; // prettier-ignore
        if (w0 !== 0) s0 = round(s0 + w0 * value);
        if (w1 !== 0) s1 = round(s1 + w1 * value);
        if (w2 !== 0) s2 = round(s2 + w2 * value);
        if (w3 !== 0) s3 = round(s3 + w3 * value);
        if (w4 !== 0) s4 = round(s4 + w4 * value);
        if (w5 !== 0) s5 = round(s5 + w5 * value);
        if (w6 !== 0) s6 = round(s6 + w6 * value);
        if (w7 !== 0) s7 = round(s7 + w7 * value);
      }
      const at = r * width + j;
      out[at] = s0;
      out[at + 1] = s1;
      out[at + 2] = s2;
      out[at + 3] = s3;
      out[at + 4] = s4;
      out[at + 5] = s5;
      out[at + 6] = s6;
      out[at + 7] = s7;
    }
  }
  for (let r = 0; r < count; r += 1) {
    for (let j = blocked; j < width; j += 1) {
      let sum = 0;
      for (let p = start[r], to = start[r + 1]; p < to; p += 1) {
        const weight = dense[index[p] * width + j];
        if (weight !== 0) sum = round(sum + weight * values[p]);
      }
      out[r * width + j] = sum;
    }
  }
  return out;
}
