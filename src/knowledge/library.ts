// The knowledge directory as something documents are added to and removed from. Alone, that is
// the directory. With several instances (webhook + Redis), every instance must see the same
// documents and rebuild when they change: see SharedLibrary in src/bot/shared-knowledge.ts.
import { removeDocument, storeDocument, type StoreOutcome } from './store.ts';

export interface KnowledgeLibrary {
  /** stores a checked document (never over another file); the caller rebuilds the index */
  add(name: string, bytes: Buffer): Promise<StoreOutcome>;
  /** removes a document; false when there was none of that name */
  remove(name: string): Promise<boolean>;
  /** brings the local directory up to date with what other instances changed (before a rebuild) */
  sync(): Promise<unknown>;
  /** after this instance rebuilt its index: tells the other instances to rebuild theirs */
  announce(): Promise<void>;
  close(): Promise<void>;
}

export class LocalLibrary implements KnowledgeLibrary {
  constructor(readonly dir: string) {}

  add(name: string, bytes: Buffer): Promise<StoreOutcome> {
    return storeDocument(this.dir, name, bytes);
  }

  remove(name: string): Promise<boolean> {
    return removeDocument(this.dir, name);
  }

  // one instance: nothing to fetch, nobody to tell
  async sync(): Promise<void> {}

  async announce(): Promise<void> {}

  async close(): Promise<void> {}
}
