// Types for the launcher, which is plain JavaScript so that it runs before any TypeScript tooling.
/** The newest modification time of the files under `dir`, 0 when there are none. */
export declare function newestChange(dir: string): number;
/** True when dist/ holds a build at least as new as every file in src/. */
export declare function compiledIsCurrent(base?: string): boolean;
