// Prints every chunk of knowledge/ as JSON lines: {id, essayId, title, section, text}.
//   npx tsx scripts/list-chunks.ts [knowledge-dir] > chunks.jsonl
import { loadEssays } from '../src/knowledge/load.ts';
import { chunkEssay } from '../src/knowledge/chunk.ts';

async function main(): Promise<void> {
  const { essays, warnings } = await loadEssays(process.argv[2] ?? 'knowledge');
  for (const warning of warnings) console.error(warning);
  for (const essay of essays) {
    for (const chunk of await chunkEssay(essay)) {
      console.log(JSON.stringify({ id: chunk.id, essayId: essay.id, title: essay.title, section: chunk.section, text: chunk.text }));
    }
  }
}

void main();
