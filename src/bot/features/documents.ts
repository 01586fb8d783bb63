// Growing the knowledge base from the chat: an admin sends (or forwards) a PDF, Word file, web
// page, Markdown or text file; it is checked as the index reads it, stored, indexed, and the
// reply says what was added. /remove takes a document out again, after a confirm button.
// Everyone else is told that only admins add documents. The download URL holds the bot token,
// so it is never logged or shown.
import { createHash } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import type { App } from '../../app.ts';
import { EssayFileError, formatBytes, formatOf, maxBytesOf } from '../../knowledge/files.ts';
import type { KnowledgeLibrary } from '../../knowledge/library.ts';
import { inspectDocument, reasonOf, safeDocumentName, type StoreOutcome } from '../../knowledge/store.ts';
import type { Essay } from '../../knowledge/types.ts';
import { callbackData } from '../callbacks.ts';
import type { BotContext } from '../context.ts';
import { renderText } from '../render.ts';
import { ack, reply, showInPlace } from '../send.ts';
import { DEFAULT_API_ROOT, downloadTelegramFile, MAX_DOWNLOAD_BYTES } from '../transcribe.ts';
import type { BotFeature } from '../types.ts';
import { essaySections } from './essays.ts';

export interface DocumentsDeps {
  app: Pick<App, 'config' | 'index' | 'reload' | 'logger'>;
  library: KnowledgeLibrary;
}

const FORMATS = 'PDF(带文字层)、Word(.docx)、网页(.html)、Markdown(.md)和纯文本(.txt)';
const ONLY_ADMINS = `只有管理员可以往知识库里添加文件。想问文件里的内容,请直接用文字提问;想补充资料,请联系管理员。`;
const NOT_ADMIN = '这个命令只有管理员可以使用。';
const REMOVE_PREFIX = 'kbrm';
const MAX_LISTED_SECTIONS = 8;

/** A short, stable token for a file name: names can be longer than button data allows. */
function fileToken(file: string): string {
  return createHash('sha1').update(file).digest('hex').slice(0, 12);
}

function sectionsLine(essay: Essay, app: DocumentsDeps['app']): string {
  const titles = essaySections(app.index.retriever, essay.id).map((s) => s.title);
  if (titles.length <= 1) return '';
  const shown = titles.slice(0, MAX_LISTED_SECTIONS).join('、');
  return `\n章节:${shown}${titles.length > MAX_LISTED_SECTIONS ? ` 等 ${titles.length} 节` : ''}`;
}

/** The essay a /remove argument names: its number in /essays, its file name or its title. */
export function findEssay(essays: Essay[], arg: string): Essay | undefined {
  const wanted = arg.trim().replace(/^《(.*)》$/, '$1');
  if (/^\d+$/.test(wanted)) return essays[Number(wanted) - 1];
  return essays.find((e) => e.file === wanted) ?? essays.find((e) => e.title === wanted);
}

export function documentsFeature(deps: DocumentsDeps): BotFeature {
  const { app, library } = deps;
  const log = app.logger;
  const admins = new Set(app.config.adminUserIds);
  const isAdmin = (ctx: BotContext): boolean => ctx.from !== undefined && admins.has(ctx.from.id);
  const say = (ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<unknown> => reply(ctx, renderText(text, keyboard), log);
  const composer = new Composer<BotContext>();

  /** Rebuilds here, then tells the other instances; the old index answers until the swap. */
  const rebuildEverywhere = async (ctx: BotContext): Promise<boolean> => {
    try {
      await app.reload();
    } catch (error) {
      log.error('documents.reload_failed', { error });
      await say(ctx, '文件已保存,但重新索引失败,暂时仍在使用原来的索引。请查看日志后发送 /reload。');
      return false;
    }
    await library.announce().catch((error: unknown) => log.warn('documents.announce_failed', { error }));
    return true;
  };

  composer.on('message:document', async (ctx) => {
    if (!isAdmin(ctx)) {
      await say(ctx, ONLY_ADMINS);
      return;
    }
    const document = ctx.msg.document;
    const original = document.file_name ?? '';
    const name = safeDocumentName(original);
    const format = name ? formatOf(name) : undefined;
    if (!name || !format) {
      await say(ctx, `暂不支持这种文件${original ? `(${original})` : ''}。可以添加的格式:${FORMATS}。扫描件请先做文字识别(OCR)。`);
      return;
    }
    const size = document.file_size ?? 0;
    if (size > MAX_DOWNLOAD_BYTES) {
      await say(ctx, `这个文件有 ${formatBytes(size)},超过了 Telegram 允许机器人下载的 20 MB,我收不到它。请压缩或拆分后再发,或请运维用命令行添加:npm run -s cli -- ingest <文件>。`);
      return;
    }
    if (size > maxBytesOf(format)) {
      await say(ctx, `这个文件有 ${formatBytes(size)},超过了这种格式的上限 ${formatBytes(maxBytesOf(format))}。请拆分后再发。`);
      return;
    }
    await ctx.replyWithChatAction('typing').catch(() => undefined);
    let bytes: Buffer;
    try {
      const file = await ctx.getFile();
      if (!file.file_path) throw new Error('getFile returned no file_path');
      bytes = await downloadTelegramFile(app.config.telegramApiRoot ?? ctx.api.options?.apiRoot ?? DEFAULT_API_ROOT, ctx.api.token, file.file_path);
    } catch (error) {
      // DownloadError messages never contain the URL (and so never the token)
      log.warn('documents.download_failed', { chatId: ctx.chat.id, file: name, error: error instanceof Error ? error.message : 'error' });
      await say(ctx, `没能从 Telegram 下载《${name}》,请稍后再发一次。`);
      return;
    }
    try {
      await inspectDocument(name, bytes, { chunkSize: app.config.chunkSize, chunkOverlap: app.config.chunkOverlap });
    } catch (error) {
      if (!(error instanceof EssayFileError)) throw error;
      await say(ctx, `没有加入知识库:《${name}》${reasonOf(error, name)}。知识库没有变化。`);
      return;
    }
    let stored: StoreOutcome;
    try {
      stored = await library.add(name, bytes);
    } catch (error) {
      log.error('documents.store_failed', { chatId: ctx.chat.id, file: name, error });
      await say(ctx, `保存《${name}》时出错了,知识库没有变化。请稍后再试,或查看日志。`);
      return;
    }
    if (stored.status === 'unchanged') {
      await say(ctx, `这份文件已经在知识库里了(${stored.name}),没有重复添加。`);
      return;
    }
    if (!(await rebuildEverywhere(ctx))) return;
    const essay = app.index.retriever.essays.find((e) => e.file === stored.name);
    if (!essay) {
      await say(ctx, `文件已保存为 ${stored.name},但重新索引时没有收录它,请管理员查看 /status 里的知识库警告。`);
      return;
    }
    const passages = app.index.retriever.chunksOf(essay.id).length;
    const renamed = stored.status === 'renamed' ? `\n(知识库里已有同名文件 ${stored.wanted},原文件保留,这份保存为 ${stored.name}。)` : '';
    log.info('documents.added', { chatId: ctx.chat.id, file: stored.name, passages, bytes: bytes.length });
    await say(
      ctx,
      `已加入知识库:《${essay.title}》,${passages} 段。${sectionsLine(essay, app)}${renamed}\n现在知识库共 ${app.index.retriever.essays.length} 篇文章,发送 /essays 可以浏览。`,
    );
  });

  composer.command('remove', async (ctx) => {
    if (!isAdmin(ctx)) {
      await say(ctx, NOT_ADMIN);
      return;
    }
    const essays = app.index.retriever.essays;
    const arg = ctx.match.trim();
    if (arg === '') {
      const list = essays.map((e, i) => `${i + 1}. 《${e.title}》 ${e.file}`).join('\n');
      await say(ctx, `用法:/remove <编号或文件名>,编号与 /essays 的列表相同。\n${list}`);
      return;
    }
    const essay = findEssay(essays, arg);
    if (!essay) {
      await say(ctx, `知识库里没有「${arg}」。发送 /remove 查看编号和文件名。`);
      return;
    }
    const keyboard = new InlineKeyboard()
      .text('确认删除', callbackData(REMOVE_PREFIX, fileToken(essay.file)))
      .text('取消', callbackData(REMOVE_PREFIX, 'no'));
    await say(ctx, `确定要从知识库删除《${essay.title}》(${essay.file})吗?删除后它的段落不再用于回答。`, keyboard);
  });

  composer.callbackQuery(new RegExp(`^${REMOVE_PREFIX}:`), async (ctx) => {
    if (!isAdmin(ctx)) {
      await ack(ctx, log, NOT_ADMIN, true);
      return;
    }
    const token = ctx.callbackQuery.data.slice(REMOVE_PREFIX.length + 1);
    if (token === 'no') {
      await ack(ctx, log);
      await showInPlace(ctx, renderText('已取消,知识库没有变化。'), log);
      return;
    }
    const essay = app.index.retriever.essays.find((e) => fileToken(e.file) === token);
    if (!essay) {
      await ack(ctx, log, '这篇文章已经不在知识库里了。', true);
      return;
    }
    await ack(ctx, log);
    let removed: boolean;
    try {
      removed = await library.remove(essay.file);
    } catch (error) {
      log.error('documents.remove_failed', { file: essay.file, error });
      await showInPlace(ctx, renderText(`删除 ${essay.file} 时出错了,知识库没有变化。请稍后再试。`), log);
      return;
    }
    if (!removed) {
      await showInPlace(ctx, renderText(`没有找到文件 ${essay.file},可能已被删除。`), log);
      return;
    }
    if (!(await rebuildEverywhere(ctx))) return;
    log.info('documents.removed', { chatId: ctx.chat?.id, file: essay.file });
    await showInPlace(ctx, renderText(`已删除《${essay.title}》(${essay.file})。现在知识库共 ${app.index.retriever.essays.length} 篇文章。`), log);
  });

  // admin commands stay out of the public command menu, as /status and /reload do
  return { name: 'documents', composer };
}
