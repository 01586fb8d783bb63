// The drill feature lives in ./drill/ (see its index.ts); this path stays for its importers.
export * from './drill/index.ts';
