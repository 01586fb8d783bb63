// Builds the retrieval index of the shipped knowledge base once per test file, in a temp data dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.ts';
import { buildIndex, type BuiltIndex } from '../../src/retrieval/build.ts';

export function tempDataDir(prefix = 'zhili-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A Config as production parses it, from an explicit environment (never from .env). */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ DATA_DIR: tempDataDir(), KNOWLEDGE_DIR: 'knowledge', ...env });
}

let shared: Promise<BuiltIndex> | undefined;

export function sharedIndex(): Promise<BuiltIndex> {
  const config = testConfig();
  shared ??= buildIndex({
    knowledgeDir: config.knowledgeDir,
    dataDir: config.dataDir,
    chunking: { chunkSize: config.chunkSize, chunkOverlap: config.chunkOverlap },
    lsaDimensions: config.lsaDimensions,
  });
  return shared;
}
