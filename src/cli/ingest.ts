import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';

function progressBar(done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export async function runIngest(config: Config, logger: Logger): Promise<number> {
  const tty = process.stderr.isTTY;
  const app = await createApp(config, logger, {
    noCache: false,
    onProgress: (done, total) => {
      if (tty) process.stderr.write(`\r索引中 ${progressBar(done, total)}`);
    },
  });
  if (tty) process.stderr.write('\n');
  const { retriever, fromCache, buildMs, warnings } = app.index;
  console.log(`${fromCache ? '已从缓存载入索引' : '已建立索引'}:${retriever.essays.length} 篇文章,${retriever.chunks.length} 个段落,向量模型:${retriever.embedder.label},用时 ${Math.round(buildMs)} ms。`);
  for (const essay of retriever.essays) {
    const count = retriever.chunksOf(essay.id).length;
    const by = [essay.authors.join('、'), essay.publication].filter(Boolean).join(' · ');
    console.log(`  ${essay.id}  《${essay.title}》${by ? ` ${by}` : ''}  ${essay.text.length} 字,${count} 段`);
  }
  for (const warning of warnings) console.log(`  警告:${warning}`);
  return 0;
}
