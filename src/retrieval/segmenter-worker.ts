// jieba in a worker thread, for a process that must answer soon after it starts (`cli ask`):
// loading the dictionary (0.15–0.4 s of native, synchronous work) then runs on the other core
// while this thread loads modules and the index. Calls stay synchronous: the text goes through
// shared memory and this thread waits (Atomics.wait) for the worker's words, the same words the
// same dictionary gives in this thread. A call costs a thread hop (~40–80 µs), so a long-running
// process (the bot) loads the dictionary itself instead. Anything wrong with the worker (it
// cannot start, load, or answer in time) and the caller loads its own dictionary, as without it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The part of @node-rs/jieba's Jieba the tokenizer uses. */
export interface Segmenter {
  cut(sentence: string, hmm?: boolean): string[];
  tag(sentence: string, hmm?: boolean): Array<{ tag: string; word: string }>;
}

/** The worker's segmenter: also cuts many texts in one trip. */
export interface WorkerSegmenter extends Segmenter {
  /** each text's words (cut without HMM), in one request instead of one per text; undefined: no worker */
  cutMany(sentences: string[]): string[][] | undefined;
}

// ctrl: the state both threads wait on, and the fields of one request or reply
const STATE = 0;
const OP = 1;
const INPUT = 2; // UTF-16 units of the text
const COUNT = 3; // words (cut) or words and tags (tag) in the reply
const UNITS = 4; // bytes of the reply's text
const STATUS = 5;
const NEED = 6; // bytes the reply needs when the shared buffer is too small
const HMM = 7;
const STARTING = 0;
const IDLE = 1;
const REQUEST = 2;
const FAILED = 3;
const OK = 0;
const GROW = 1;
const ERROR = 2;
const CUT = 0;
const TAG = 1;
const CUT_MANY = 2; // texts joined by U+0000; the reply gives each one's word count, then its words

// The worker, as CommonJS source (eval: no loader, run the same from src/ under tsx and from dist/).
// Layout of the data buffer: the text at 0; the reply at the next multiple of 4: one length per
// word (per word and per tag for `tag`), then the words' (and tags') UTF-16 units one after another.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { ctrl, data, jiebaPath, dictPath } = workerData;
let jieba;
try {
  const { Jieba } = require(jiebaPath);
  jieba = Jieba.withDict(require('node:fs').readFileSync(dictPath));
  Atomics.store(ctrl, ${STATE}, ${IDLE});
} catch {
  Atomics.store(ctrl, ${STATE}, ${FAILED});
}
Atomics.notify(ctrl, ${STATE});
let bytes = Buffer.from(data);
let lengths = new Uint32Array(data);
while (jieba) {
  Atomics.wait(ctrl, ${STATE}, ${IDLE});
  if (Atomics.load(ctrl, ${STATE}) !== ${REQUEST}) continue;
  if (bytes.length !== data.byteLength) {
    bytes = Buffer.from(data);
    lengths = new Uint32Array(data);
  }
  try {
    const input = ctrl[${INPUT}];
    const text = bytes.toString('utf16le', 0, input * 2);
    const hmm = ctrl[${HMM}] === 1;
    const parts = [];
    if (ctrl[${OP}] === ${TAG}) for (const { word, tag } of jieba.tag(text, hmm)) parts.push(word, tag);
    else if (ctrl[${OP}] === ${CUT_MANY})
      for (const one of text.split('\\u0000')) {
        const words = jieba.cut(one, hmm);
        parts.push(String(words.length), ...words);
      }
    else for (const word of jieba.cut(text, hmm)) parts.push(word);
    const joined = parts.join('');
    const start = Math.ceil(input / 2);
    const need = (start + parts.length) * 4 + joined.length * 2;
    if (need > data.byteLength) {
      ctrl[${NEED}] = need;
      ctrl[${STATUS}] = ${GROW};
    } else {
      for (let i = 0; i < parts.length; i += 1) lengths[start + i] = parts[i].length;
      ctrl[${COUNT}] = parts.length;
      ctrl[${UNITS}] = bytes.write(joined, (start + parts.length) * 4, 'utf16le');
      ctrl[${STATUS}] = ${OK};
    }
  } catch {
    ctrl[${STATUS}] = ${ERROR};
  }
  Atomics.store(ctrl, ${STATE}, ${IDLE});
  Atomics.notify(ctrl, ${STATE});
}
`;

// a growable SharedArrayBuffer (Node 20; not in the ES2022 library types)
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(bytes: number): void;
}
const growable = (bytes: number, maxByteLength: number): GrowableSharedArrayBuffer =>
  new (SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer)(bytes, { maxByteLength });

const INITIAL_BYTES = 1 << 16;
const MAX_BYTES = 1 << 28;

export interface WorkerSegmenterOptions {
  dictPath: string;
  /** how long a call waits for the dictionary to load, then for a reply; past it, no worker */
  timeoutMs?: number;
  /** this thread's own segmenter, for when the worker stops answering after it has started to */
  fallback: () => Segmenter;
}

/**
 * Starts the worker (it loads the dictionary at once). `get()` is the segmenter once the
 * dictionary is loaded, waiting for it if need be; undefined when the worker failed.
 */
export function startWorkerSegmenter(options: WorkerSegmenterOptions): { get(): WorkerSegmenter | undefined } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ctrl = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
  const data = growable(INITIAL_BYTES, MAX_BYTES);
  let worker: Worker | undefined;
  try {
    const jiebaPath = createRequire(import.meta.url).resolve('@node-rs/jieba');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ctrl, data, jiebaPath, dictPath: options.dictPath } });
    // never keeps the process alive; an error ends the worker, and calls see it as failed
    worker.unref();
    worker.on('error', () => Atomics.store(ctrl, STATE, FAILED));
  } catch {
    Atomics.store(ctrl, STATE, FAILED);
  }
  let usable: boolean | undefined;
  const abandon = (): undefined => {
    usable = false;
    void worker?.terminate();
    return undefined;
  };
  let bytes = Buffer.from(data);
  let lengths = new Uint32Array(data);

  /** The worker's reply to one request: the strings it wrote, or undefined (no worker any more). */
  const call = (op: number, text: string, hmm: boolean): string[] | undefined => {
    if (usable === false) return undefined;
    const input = Math.ceil((text.length * 2) / 4) * 4;
    let room = Math.max(data.byteLength, input + 1024);
    for (;;) {
      if (room > data.byteLength) {
        if (room > MAX_BYTES) return abandon();
        data.grow(Math.min(MAX_BYTES, 2 ** Math.ceil(Math.log2(room))));
        bytes = Buffer.from(data);
        lengths = new Uint32Array(data);
      }
      bytes.write(text, 0, 'utf16le');
      ctrl[OP] = op;
      ctrl[INPUT] = text.length;
      ctrl[HMM] = hmm ? 1 : 0;
      Atomics.store(ctrl, STATE, REQUEST);
      Atomics.notify(ctrl, STATE);
      if (Atomics.wait(ctrl, STATE, REQUEST, timeoutMs) === 'timed-out' || Atomics.load(ctrl, STATE) !== IDLE) return abandon();
      if (ctrl[STATUS] === GROW) {
        room = ctrl[NEED];
        continue;
      }
      if (ctrl[STATUS] !== OK) return abandon();
      const count = ctrl[COUNT];
      const start = Math.ceil(text.length / 2);
      const from = (start + count) * 4;
      const joined = bytes.toString('utf16le', from, from + ctrl[UNITS]);
      const parts = new Array<string>(count);
      for (let i = 0, at = 0; i < count; i += 1) {
        const length = lengths[start + i];
        parts[i] = joined.slice(at, at + length);
        at += length;
      }
      return parts;
    }
  };

  const segmenter: WorkerSegmenter = {
    cutMany: (sentences) => {
      if (sentences.some((sentence) => sentence.includes('\u0000'))) return undefined;
      const parts = call(CUT_MANY, sentences.join('\u0000'), false);
      if (!parts) return undefined;
      const out: string[][] = [];
      for (let at = 0; at < parts.length; ) {
        const count = Number(parts[at]);
        out.push(parts.slice(at + 1, at + 1 + count));
        at += 1 + count;
      }
      return out.length === sentences.length ? out : undefined;
    },
    cut: (sentence, hmm) => call(CUT, sentence, hmm === true) ?? local().cut(sentence, hmm),
    tag: (sentence, hmm) => {
      const parts = call(TAG, sentence, hmm === true);
      if (!parts) return local().tag(sentence, hmm);
      const tagged = new Array<{ tag: string; word: string }>(parts.length / 2);
      for (let i = 0; i < tagged.length; i += 1) tagged[i] = { tag: parts[2 * i + 1], word: parts[2 * i] };
      return tagged;
    },
  };
  // a worker that stops answering mid-way: this thread's own dictionary from then on
  let fallback: Segmenter | undefined;
  const local = (): Segmenter => (fallback ??= options.fallback());

  return {
    get(): WorkerSegmenter | undefined {
      if (usable === undefined) {
        if (Atomics.load(ctrl, STATE) === STARTING) Atomics.wait(ctrl, STATE, STARTING, timeoutMs);
        usable = Atomics.load(ctrl, STATE) === IDLE;
        if (!usable) abandon();
      }
      return usable ? segmenter : undefined;
    },
  };
}
