// Just enough of the ZIP format to read one small entry (a .docx's docProps/core.xml), so the
// document's own metadata is available without another dependency.
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
const MAX_ENTRY_BYTES = 1024 * 1024;

/** The bytes of `wanted` in the archive, or undefined when it is missing or unreadable. */
export function readZipEntry(zip: Buffer, wanted: string): Buffer | undefined {
  try {
    let eocd = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i -= 1) {
      if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return undefined;
    const entries = zip.readUInt16LE(eocd + 10);
    let at = zip.readUInt32LE(eocd + 16);
    for (let n = 0; n < entries; n += 1) {
      if (zip.readUInt32LE(at) !== CENTRAL_ENTRY) return undefined;
      const method = zip.readUInt16LE(at + 10);
      const compressed = zip.readUInt32LE(at + 20);
      const size = zip.readUInt32LE(at + 24);
      const nameLength = zip.readUInt16LE(at + 28);
      const extraLength = zip.readUInt16LE(at + 30);
      const commentLength = zip.readUInt16LE(at + 32);
      const local = zip.readUInt32LE(at + 42);
      const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      if (name === wanted) {
        if (size > MAX_ENTRY_BYTES || zip.readUInt32LE(local) !== LOCAL_ENTRY) return undefined;
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
        return undefined;
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
  } catch {
    // a damaged archive simply has no metadata; mammoth reports the damage itself
  }
  return undefined;
}
