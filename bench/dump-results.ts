// Every eval question's search result and extractive answer as one JSON line each, for checking
// that a change leaves retrieval exactly as it was: run before and after, then diff the outputs.
//   npx tsx bench/dump-results.ts <knowledgeDir> <dataDir> [--worker] > results.jsonl
// --worker: jieba in its worker thread, as `cli ask` runs it (retrieval/segmenter-worker.ts)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Answerer } from '../src/answer/answerer.ts';
import { loadQuestions } from '../src/eval/questions.ts';
import { buildIndex } from '../src/retrieval/build.ts';
import { EVERYDAY_WORDS } from '../src/retrieval/everyday-lexicon.ts';
import { preloadSegmenterInWorker } from '../src/retrieval/tokenize.ts';

const args = process.argv.slice(2).filter((arg) => arg !== '--worker');
if (process.argv.includes('--worker')) preloadSegmenterInWorker(() => Object.keys(EVERYDAY_WORDS));
const [knowledgeDir = 'knowledge', dataDir = '.data/dump'] = args;
const built = await buildIndex({ knowledgeDir, dataDir, chunking: { chunkSize: 500, chunkOverlap: 80 }, lsaDimensions: 64 });
const retriever = built.retriever;
const answerer = new Answerer({ retriever });
// DUMP_FILES=a.jsonl,b.jsonl to compare against a dump made when eval/ held other files
const files = process.env.DUMP_FILES?.split(',') ?? readdirSync('eval').filter((name) => name.endsWith('.jsonl')).sort();
let previous: string | undefined;
for (const file of files) {
  for (const { id, question } of loadQuestions(join('eval', file))) {
    const result = await retriever.search(question, { k: 5, ignoreFloor: true });
    // a follow-up, judged with the question before it
    const followUp = previous ? await retriever.search(question, { k: 5, context: previous }) : undefined;
    const answer = await answerer.answer(question);
    previous = question;
    console.log(
      JSON.stringify({
        file,
        id,
        coverage: result.coverage,
        relevance: result.relevance,
        familiarity: result.familiarity,
        similarity: result.similarity,
        found: result.found,
        missing: result.missing,
        unknown: result.unknownSpecifics,
        figureMissing: result.figureMissing,
        unlisted: result.unlistedSet,
        hits: result.hits.map((hit) => [hit.chunk.id, hit.score, hit.bm25Rank, hit.denseRank]),
        followUp: followUp && [followUp.coverage, followUp.relevance, ...followUp.hits.map((hit) => hit.chunk.id)],
        answer: [answer.grounded, answer.coverage, answer.answer, answer.gaps, answer.citations.map((c) => c.chunkId)],
      }),
    );
  }
}
