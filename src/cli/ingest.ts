// `cli ingest`: rebuilds the index of the knowledge directory; with files or folders, first
// copies every supported document among them into it (or into --dir), with a progress bar on a
// terminal, plain lines otherwise, and a summary table of what was added and what was skipped.
import { mkdir } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';
import { collectFiles, ingestFile, OUTCOME_LABEL, summaryTable, type IngestRow } from './ingest-files.ts';

function progressBar(done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

function parseArgs(args: string[]): { paths: string[]; dir?: string } | string {
  const paths: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--dir') {
      dir = args[(i += 1)];
      if (!dir) return '--dir 后面要写知识库目录';
    } else if (args[i].startsWith('--dir=')) dir = args[i].slice('--dir='.length);
    else if (args[i].startsWith('--')) return `不认识的选项 ${args[i]}`;
    else paths.push(args[i]);
  }
  return { paths, dir };
}

async function addFiles(paths: string[], dir: string, config: Config, tty: boolean): Promise<IngestRow[]> {
  const { files, missing } = await collectFiles(paths);
  const chunking = { chunkSize: config.chunkSize, chunkOverlap: config.chunkOverlap };
  const rows: IngestRow[] = [...missing];
  const bar = tty
    ? new cliProgress.SingleBar({ stream: process.stderr, format: '添加文件 [{bar}] {value}/{total} {file}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(files.length, 0, { file: '' });
  for (const [index, file] of files.entries()) {
    bar?.update(index, { file });
    const row = await ingestFile(file, dir, chunking);
    rows.push(row);
    if (!bar) console.error(`[${index + 1}/${files.length}] ${file}:${row.outcome === 'skipped' ? `跳过(${row.reason})` : `${OUTCOME_LABEL[row.outcome]},${row.passages} 段`}`);
  }
  bar?.update(files.length, { file: '' });
  bar?.stop();
  return rows;
}

export async function runIngest(config: Config, logger: Logger, args: string[] = []): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`${parsed}。用法:npm run -s cli -- ingest [文件或文件夹…] [--dir 知识库目录]`);
    return 1;
  }
  const tty = process.stderr.isTTY === true;
  const target = { ...config, knowledgeDir: parsed.dir ?? config.knowledgeDir };
  let rows: IngestRow[] = [];
  if (parsed.paths.length > 0) {
    await mkdir(target.knowledgeDir, { recursive: true });
    rows = await addFiles(parsed.paths, target.knowledgeDir, target, tty);
  }
  const app = await createApp(target, logger, {
    noCache: false,
    onProgress: (done, total) => {
      if (tty) process.stderr.write(`\r索引中 ${progressBar(done, total)}`);
    },
  });
  if (tty) process.stderr.write('\n');
  const { retriever, fromCache, buildMs, warnings } = app.index;
  console.log(`${fromCache ? '已从缓存载入索引' : '已建立索引'}:${retriever.essays.length} 篇文章,${retriever.chunks.length} 个段落,向量模型:${retriever.embedder.label},用时 ${Math.round(buildMs)} ms。`);
  if (rows.length > 0) {
    console.log(`\n${summaryTable(rows)}`);
    return rows.some((r) => r.outcome !== 'skipped') || rows.length === 0 ? 0 : 1;
  }
  for (const essay of retriever.essays) {
    const count = retriever.chunksOf(essay.id).length;
    const by = [essay.authors.join('、'), essay.publication].filter(Boolean).join(' · ');
    console.log(`  ${essay.id}  《${essay.title}》${by ? ` ${by}` : ''}  ${essay.text.length} 字,${count} 段`);
  }
  for (const warning of warnings) console.log(`  警告:${warning}`);
  return 0;
}
