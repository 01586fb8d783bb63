// Admin commands (ADMIN_USER_IDS): /status and /reload. Everyone else is told plainly that
// they are for admins. Nothing here prints a token, key or secret: the status text is redacted
// as the logs are (a provider's error message may echo the key).
import { Composer } from 'grammy';
import type { App } from '../../app.ts';
import type { BreakerHealth } from '../../answer/breaker.ts';
import { secretsOf } from '../../config.ts';
import type { KnowledgeLibrary } from '../../knowledge/library.ts';
import { redact } from '../../log.ts';
import type { BotContext } from '../context.ts';
import { renderText } from '../render.ts';
import { reply } from '../send.ts';
import type { BotFeature } from '../types.ts';

export interface AdminDeps {
  app: Pick<App, 'config' | 'index' | 'answerer' | 'chat' | 'startedAt' | 'reload' | 'logger'>;
  /** updates being handled right now (the bot's queue depth) */
  queueDepth: () => number;
  sessionsKind: () => string;
  /** polling or webhook */
  transport: () => string;
  /** with several instances: /reload fetches what others changed first, and tells them after */
  library?: Pick<KnowledgeLibrary, 'sync' | 'announce'>;
}

const NOT_ADMIN = '这个命令只有管理员可以使用。';

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${d > 0 ? `${d} 天 ` : ''}${h} 小时 ${m} 分 ${s % 60} 秒`;
}

const BREAKER_STATE: Record<BreakerHealth['state'], string> = { closed: '正常', open: '暂停调用(连续失败后熔断)', 'half-open': '试探恢复中' };

export function statusText(deps: AdminDeps, now = Date.now()): string {
  const { app } = deps;
  const retriever = app.index.retriever;
  const health = app.chat?.health();
  const lines = [
    '运行状态',
    `运行时间:${duration(now - app.startedAt)}`,
    `知识库:${retriever.essays.length} 篇文章,${retriever.chunks.length} 个段落(索引${app.index.fromCache ? '来自缓存' : '新建'})`,
    `向量:${retriever.embedder.label}`,
    `回答模式:${app.answerer.mode === 'llm' ? `大模型(${app.chat?.label ?? ''})` : '摘录模式(未配置大模型)'}`,
  ];
  if (health) {
    lines.push(
      `大模型健康:${BREAKER_STATE[health.state]};调用 ${health.calls} 次,失败 ${health.failures} 次,连续失败 ${health.consecutiveFailures} 次`,
    );
    if (health.lastError) lines.push(`最近一次错误:${health.lastError}`);
  }
  lines.push(`正在处理的消息:${deps.queueDepth()}`, `会话存储:${deps.sessionsKind()}`, `接收方式:${deps.transport()}`);
  const warnings = app.index.warnings;
  if (warnings.length > 0) lines.push(`知识库警告:${warnings.join(';')}`);
  return redact(lines.join('\n'), secretsOf(app.config));
}

export function adminFeature(deps: AdminDeps): BotFeature {
  const admins = new Set(deps.app.config.adminUserIds);
  const composer = new Composer<BotContext>();
  const onlyAdmins = composer.filter((ctx) => ctx.from !== undefined && admins.has(ctx.from.id));
  onlyAdmins.command('status', async (ctx) => {
    await reply(ctx, renderText(statusText(deps)), deps.app.logger);
  });
  onlyAdmins.command('reload', async (ctx) => {
    await reply(ctx, renderText('正在重新索引 knowledge/ ……索引完成前的提问仍由旧索引回答。'), deps.app.logger);
    try {
      await deps.library?.sync().catch((error: unknown) => ctx.log.warn('admin.reload_sync_failed', { error }));
      const result = await deps.app.reload();
      await deps.library?.announce().catch((error: unknown) => ctx.log.warn('admin.reload_announce_failed', { error }));
      const warnings = result.warnings.length > 0 ? `\n警告:${result.warnings.join(';')}` : '';
      await reply(ctx, renderText(`重新索引完成:${result.essays} 篇文章,${result.chunks} 个段落,用时 ${result.ms} 毫秒。${warnings}`), deps.app.logger);
    } catch (error) {
      ctx.log.error('admin.reload_failed', { error });
      await reply(ctx, renderText('重新索引失败,仍在使用原来的索引。请查看日志。'), deps.app.logger);
    }
  });
  composer.command(['status', 'reload'], async (ctx) => {
    await reply(ctx, renderText(NOT_ADMIN), deps.app.logger);
  });
  // admin commands stay out of the public command menu
  return { name: 'admin', composer };
}
