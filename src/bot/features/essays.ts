// /essays: the essay list → one essay (abstract, sections) → a section's excerpts.
import { Composer } from 'grammy';
import type { Chunk, Essay } from '../../knowledge/types.ts';
import type { Retriever } from '../../retrieval/retriever.ts';
import { decodeAction, verbs } from '../callbacks.ts';
import type { BotContext } from '../context.ts';
import { clip, renderEssay, renderEssayList, renderSection } from '../render.ts';
import { ack, reply, showInPlace } from '../send.ts';
import type { BotServices } from '../types.ts';

const OPENING = '开篇';

/** The abstract ("摘要:…") when the essay has one, else its first paragraph. */
export function essayAbstract(essay: Essay, max = 600): string {
  const paragraphs = essay.paragraphs.map((p) => ({ ...p, text: essay.text.slice(p.start, p.end).trim() }));
  const marked = paragraphs.find((p) => /^[【\[]?摘\s*要[】\]]?\s*[::]?/.test(p.text));
  const chosen = marked ?? paragraphs.find((p) => !p.heading && p.text.length > 0) ?? paragraphs[0];
  const text = (chosen?.text ?? '').replace(/^[【\[]?摘\s*要[】\]]?\s*[::]?\s*/, '');
  return clip(text, max) || '(这篇文章没有摘要。)';
}

/** Top-level sections in reading order, each with its chunks. */
export function essaySections(retriever: Retriever, essayId: string): Array<{ title: string; chunks: Chunk[] }> {
  const sections = new Map<string, Chunk[]>();
  for (const chunk of retriever.chunksOf(essayId)) {
    const title = chunk.section.split(' › ')[0]?.trim() || OPENING;
    const list = sections.get(title) ?? [];
    list.push(chunk);
    sections.set(title, list);
  }
  return [...sections].map(([title, chunks]) => ({ title, chunks }));
}

export function essaysFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const essayView = (essay: Essay) =>
    renderEssay({
      essay,
      abstract: essayAbstract(essay),
      sections: essaySections(s.retriever, essay.id).map((section) => ({ title: section.title, count: section.chunks.length })),
    });

  composer.command('essays', (ctx) => reply(ctx, renderEssayList(s.retriever.essays), s.logger).then(() => undefined));

  composer.callbackQuery(verbs('el', 'e', 'sec'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    if (action?.kind === 'essays') {
      await ack(ctx, s.logger);
      await showInPlace(ctx, renderEssayList(s.retriever.essays), s.logger);
      return;
    }
    const essay = action && 'essayId' in action ? s.retriever.essay(action.essayId) : undefined;
    const section = essay && action?.kind === 'section' ? essaySections(s.retriever, essay.id)[action.index] : undefined;
    if (!essay || (action?.kind === 'section' && !section)) {
      await ack(ctx, s.logger, '这篇文章已经不在知识库里了,请发送 /essays 重新浏览。', true);
      return;
    }
    await ack(ctx, s.logger);
    await showInPlace(ctx, section ? renderSection(essay, section.title, section.chunks) : essayView(essay), s.logger);
  });
  return composer;
}
