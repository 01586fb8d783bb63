// Extracted text of PDF/Word/HTML files, kept on disk by a hash of the file's bytes: pdf.js is
// the slow part of a start, and the same bytes always extract to the same text. A document
// that cannot be used is remembered too (its reason), so a scan is not re-parsed at every start.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import type { DocumentFormat } from './files.ts';
import { EXTRACTOR_VERSION, UnusableDocument, type ExtractedDocument } from './formats/index.ts';

const CachedExtraction = v.union([
  v.object({
    ok: v.literal(true),
    body: v.string(),
    meta: v.object({
      title: v.optional(v.string()),
      authors: v.optional(v.array(v.string())),
      date: v.optional(v.string()),
      publication: v.optional(v.string()),
    }),
  }),
  v.object({ ok: v.literal(false), reason: v.string() }),
]);
type CachedExtraction = v.InferOutput<typeof CachedExtraction>;

export class ExtractionCache {
  constructor(private readonly dir: string) {}

  private pathOf(format: DocumentFormat, bytes: Buffer): string {
    const hash = createHash('sha256').update(`${EXTRACTOR_VERSION}:${format}:`).update(bytes).digest('hex').slice(0, 32);
    return join(this.dir, `${hash}.json`);
  }

  async get(format: DocumentFormat, bytes: Buffer, extract: () => Promise<ExtractedDocument>): Promise<ExtractedDocument> {
    const path = this.pathOf(format, bytes);
    const cached = await readFile(path, 'utf8')
      .then((text) => v.safeParse(CachedExtraction, JSON.parse(text)))
      .catch(() => undefined);
    if (cached?.success) {
      if (!cached.output.ok) throw new UnusableDocument(cached.output.reason);
      return { body: cached.output.body, meta: cached.output.meta };
    }
    let entry: CachedExtraction;
    try {
      const extracted = await extract();
      entry = { ok: true, body: extracted.body, meta: extracted.meta };
    } catch (error) {
      if (!(error instanceof UnusableDocument)) throw error;
      entry = { ok: false, reason: error.reason };
    }
    await this.put(path, entry);
    if (!entry.ok) throw new UnusableDocument(entry.reason);
    return { body: entry.body, meta: entry.meta };
  }

  // best effort: a read-only data dir only costs the re-extraction
  private async put(path: string, entry: CachedExtraction): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      const tmp = `${path}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify(entry));
      await rename(tmp, path);
    } catch {
      // not cached
    }
  }
}
