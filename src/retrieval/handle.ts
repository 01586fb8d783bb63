import { Retriever } from './retriever.ts';

export interface RetrieverHandle {
  /** a stable object that always forwards to the current index: hand this one out */
  readonly retriever: Retriever;
  current(): Retriever;
  /** atomically replaces the index; searches already running finish on the old one */
  swap(next: Retriever): void;
}

export function retrieverHandle(initial: Retriever): RetrieverHandle {
  let current = initial;
  const retriever = new Proxy(Object.create(Retriever.prototype) as Retriever, {
    get(_target, property) {
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    has: (_target, property) => Reflect.has(current, property),
  });
  return {
    retriever,
    current: () => current,
    swap: (next) => {
      current = next;
    },
  };
}
