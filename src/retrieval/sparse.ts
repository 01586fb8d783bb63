// The products LSA training spends its time in: a sparse passage × term matrix (TF-IDF rows)
// times a dense matrix of a few dozen columns, and its transpose times one. Each output element
// is still summed over the same nonzeros in the same order as one dot product at a time would
// (so the results are bit for bit those of the plain loops). What changed is the order the
// elements are computed in: eight output columns at a time, with their sums in local variables
// over one pass of a row's nonzeros (or, for the transpose, added into a block of eight columns),
// and those eight columns copied out together: small enough to stay in the processor's cache.
/** Rows of nonzeros: row r is index[start[r] .. start[r + 1]) with its values alongside. */
export interface SparseRows {
  start: Uint32Array;
  index: Int32Array;
  values: Float64Array;
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
 * rowsᵀ × dense (dense: one row of `width` per row of `rows`) into `columns` rows of `width`, each
 * sum rounded to single precision at every step and zero weights skipped: what adding
 * weight · value into a Float32Array, row after row, gives. Eight output columns at a time are
 * kept in a small array of their own (it stays in the cache however large the matrix); no copy of
 * the nonzeros grouped by term is needed.
 */
export function transposeTimesDense(rows: SparseRows, dense: Float64Array, width: number, columns: number): Float32Array {
  const { start, index, values } = rows;
  const count = start.length - 1;
  const out = new Float32Array(columns * width);
  const block = new Float32Array(columns * 8);
  const blocked = width - (width % 8);
  for (let j = 0; j < blocked; j += 8) {
    block.fill(0);
    for (let r = 0; r < count; r += 1) {
      const at = r * width + j;
      const w0 = dense[at], w1 = dense[at + 1], w2 = dense[at + 2], w3 = dense[at + 3]; // prettier-ignore
      const w4 = dense[at + 4], w5 = dense[at + 5], w6 = dense[at + 6], w7 = dense[at + 7]; // prettier-ignore
      const from = start[r];
      const to = start[r + 1];
      if (w0 !== 0 && w1 !== 0 && w2 !== 0 && w3 !== 0 && w4 !== 0 && w5 !== 0 && w6 !== 0 && w7 !== 0) {
        // the usual case: no weight to skip
        for (let p = from; p < to; p += 1) {
          const value = values[p];
          const base = index[p] * 8;
          block[base] += w0 * value;
          block[base + 1] += w1 * value;
          block[base + 2] += w2 * value;
          block[base + 3] += w3 * value;
          block[base + 4] += w4 * value;
          block[base + 5] += w5 * value;
          block[base + 6] += w6 * value;
          block[base + 7] += w7 * value;
        }
        continue;
      }
      for (let p = from; p < to; p += 1) {
        const value = values[p];
        const base = index[p] * 8;
        if (w0 !== 0) block[base] += w0 * value;
        if (w1 !== 0) block[base + 1] += w1 * value;
        if (w2 !== 0) block[base + 2] += w2 * value;
        if (w3 !== 0) block[base + 3] += w3 * value;
        if (w4 !== 0) block[base + 4] += w4 * value;
        if (w5 !== 0) block[base + 5] += w5 * value;
        if (w6 !== 0) block[base + 6] += w6 * value;
        if (w7 !== 0) block[base + 7] += w7 * value;
      }
    }
    for (let t = 0; t < columns; t += 1) for (let k = 0; k < 8; k += 1) out[t * width + j + k] = block[t * 8 + k];
  }
  // the columns left over, one at a time
  for (let j = blocked; j < width; j += 1) {
    for (let r = 0; r < count; r += 1) {
      const weight = dense[r * width + j];
      if (weight === 0) continue;
      for (let p = start[r], to = start[r + 1]; p < to; p += 1) out[index[p] * width + j] += weight * values[p];
    }
  }
  return out;
}
