// /export: the practice record as a PDF document (answers, reviews, scores per dimension over
// time, the chart), Chinese font embedded. Rendering takes a second or two: the user sees
// "sending a file…" meanwhile.
import { Composer, InputFile } from 'grammy';
import { loadBank, type InterviewQuestion } from '../../interview/index.ts';
import { localDay } from '../../interview/reminders.ts';
import type { Logger } from '../../log.ts';
import type { BotContext } from '../context.ts';
import { renderText } from '../render.ts';
import { renderNoAttempts } from '../render-history.ts';
import { reply } from '../send.ts';
import type { BotFeature } from '../types.ts';

export interface ExportFeatureDeps {
  logger: Logger;
  bank?: InterviewQuestion[];
}

export const EXPORT_COMMANDS = [{ command: 'export', description: '导出练习记录(PDF)' }];

export function practiceFileName(now: Date): string {
  return `面试练习记录-${localDay(now.getTime(), 'Asia/Shanghai')}.pdf`;
}

export function exportFeature(deps: ExportFeatureDeps): BotFeature {
  const bank = deps.bank ?? loadBank();
  const byId = new Map(bank.map((q) => [q.id, q]));
  const log = deps.logger;
  const composer = new Composer<BotContext>();

  composer.command('export', async (ctx) => {
    const history = await ctx.practice.load();
    if (history.attempts.length === 0) {
      await reply(ctx, renderNoAttempts(), log);
      return;
    }
    await ctx.replyWithChatAction('upload_document').catch(() => undefined);
    const now = new Date();
    let pdf: Buffer;
    try {
      // pdfkit and the chart libraries load with the first export, not at every start
      const { renderPracticePdf } = await import('../../interview/practice-pdf.ts');
      pdf = await renderPracticePdf({ history, byId, now, name: ctx.from?.first_name });
    } catch (error) {
      ctx.log.error('export.failed', { error });
      await reply(ctx, renderText('练习记录暂时没能生成,请稍后再试。'), log);
      return;
    }
    ctx.log.info('export.sent', { attempts: history.attempts.length, bytes: pdf.length });
    const detailed = history.attempts.filter((a) => a.detail).length;
    await ctx.replyWithDocument(new InputFile(pdf, practiceFileName(now)), {
      caption: `练习记录:共 ${history.attempts.length} 次练习(其中 ${detailed} 次附作答原文和点评),含各维度得分变化和进度图。`,
    });
  });

  return { name: 'export', commands: EXPORT_COMMANDS, composer };
}
