// The passages' vectors in an HNSW index (hnswlib-node), searched by cosine similarity.
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

// a zero vector (text with no known terms) cannot be normalised; give it a tiny direction
const safe = (vector: number[]): number[] => (vector.some((x) => x !== 0) ? vector : vector.map((_, i) => (i === 0 ? 1e-6 : 0)));

/** The search breadth for an index of `count` vectors. */
export const efFor = (count: number): number => Math.max(50, Math.min(200, count));

export function buildVectorIndex(vectors: number[][], dimensions: number, onProgress?: (done: number, total: number) => void): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: 16, efConstruction: 200, randomSeed: 100 });
  vectors.forEach((vector, label) => {
    index.addPoint(safe(vector), label);
    if (label % 500 === 499) onProgress?.(label + 1, vectors.length);
  });
  index.setEf(efFor(vectors.length));
  return index;
}

/** A saved index read again with `vectors` added after its own (labels from its count on): the saved one is not changed. */
export function extendVectorIndex(path: string, dimensions: number, vectors: number[][]): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimensions);
  index.readIndexSync(path);
  const first = index.getCurrentCount();
  index.resizeIndex(first + Math.max(1, vectors.length));
  vectors.forEach((vector, i) => index.addPoint(safe(vector), first + i));
  index.setEf(efFor(first + vectors.length));
  return index;
}
