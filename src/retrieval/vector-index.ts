// The passages' vectors in an HNSW index (hnswlib-node), searched by cosine similarity.
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

export function buildVectorIndex(vectors: number[][], dimensions: number, onProgress?: (done: number, total: number) => void): VectorIndex {
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: 16, efConstruction: 200, randomSeed: 100 });
  vectors.forEach((vector, label) => {
    // a zero vector (text with no known terms) cannot be normalised; give it a tiny direction
    const safe = vector.some((x) => x !== 0) ? vector : vector.map((_, i) => (i === 0 ? 1e-6 : 0));
    index.addPoint(safe, label);
    if (label % 500 === 499) onProgress?.(label + 1, vectors.length);
  });
  index.setEf(Math.max(50, Math.min(200, vectors.length)));
  return index;
}
