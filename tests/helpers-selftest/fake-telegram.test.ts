import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { escapeHtml, htmlToText, parseTelegramHtml, startFakeTelegram } from '../helpers/fake-telegram.js';
import type { FakeTelegram } from '../helpers/fake-telegram.js';

const CHAT = 424242;

describe('fake-telegram with a real grammY bot', () => {
  let tg: FakeTelegram;
  let bot: Bot | undefined;
  /** resolves with undefined when start() returns, or with the error it rejected with */
  let running: Promise<unknown> | undefined;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    bot = undefined;
    running = undefined;
  });

  afterEach(async () => {
    if (bot?.isRunning()) await bot.stop();
    await running;
    await tg.close();
  });

  const startBot = async (b: Bot): Promise<void> => {
    bot = b;
    running = b.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    // the first long poll is pending once the bot is ready
    await tg.waitFor((c) => c.method === 'getUpdates' && c.response === undefined, 1500);
  };

  it('answers a text update via long polling', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    b.on('message:text', (ctx) => ctx.reply(`收到：<b>${escapeHtml(ctx.message.text)}</b>`, { parse_mode: 'HTML' }));
    await startBot(b);
    expect(b.botInfo.username).toBe('zhili_test_bot');

    tg.sendText(CHAT, CHAT, 'a < b & c');
    const call = await tg.waitFor('sendMessage');
    expect(call.ok).toBe(true);
    expect(call.payload).toMatchObject({ chat_id: CHAT, parse_mode: 'HTML' });
    const msg = tg.lastMessage(CHAT);
    expect(msg?.text).toBe('收到：a < b & c');
    expect(msg?.entities).toEqual([{ type: 'bold', offset: 3, length: 9 }]);
    expect(msg?.meta.raw).toBe('收到：<b>a &lt; b &amp; c</b>');

    // second round trip: the first update must have been confirmed (not redelivered)
    const since = tg.mark();
    tg.sendText(CHAT, CHAT, '第二条');
    await tg.waitFor('sendMessage', 1500, { since });
    expect(tg.messagesIn(CHAT).map((m) => m.text)).toEqual(['收到：a < b & c', '收到：第二条']);

    await b.stop();
    expect(await running).toBeUndefined();
    expect(tg.pendingUpdates()).toEqual([]);
    expect(tg.calls[0]?.method).toBe('getMe');
    expect(tg.calls[0]?.token).toBe(tg.token);
  });

  it('handles /commands (bot_command entity) and callback buttons with edits', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    b.command('start', (ctx) => ctx.reply('选择：', { reply_markup: new InlineKeyboard().text('下一题', 'next:1') }));
    b.callbackQuery(/^next:/, async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText('第一题：……', { reply_markup: new InlineKeyboard().text('再来', 'next:2') });
    });
    await startBot(b);

    tg.sendText(CHAT, CHAT, '/start');
    await tg.waitFor('sendMessage');
    const sent = tg.lastMessage(CHAT);
    expect(sent?.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: 'next:1' });

    if (sent === undefined) throw new Error('no message');
    tg.pressButton(sent, 'next:1', CHAT);
    await tg.waitFor('editMessageText');
    expect(tg.callsOf('answerCallbackQuery')[0]?.ok).toBe(true);
    const edited = tg.lastMessage(CHAT);
    expect(edited?.text).toBe('第一题：……');
    expect(edited?.meta.editCount).toBe(1);
    expect(edited?.meta.history).toEqual(['选择：']);
    expect(() => tg.pressButton(sent.message_id, 'next:1', CHAT)).toThrow(/no button/);
  });

  it('surfaces an HTML validation error as GrammyError 400', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const errors: unknown[] = [];
    b.on('message:text', async (ctx) => {
      try {
        await ctx.reply('<p>段落</p>', { parse_mode: 'HTML' });
      } catch (e) {
        errors.push(e);
      }
    });
    await startBot(b);
    tg.sendText(CHAT, CHAT, 'hi');
    const call = await tg.waitFor('sendMessage');
    expect(call.ok).toBe(false);
    await expect.poll(() => errors.length).toBe(1);
    const err = errors[0];
    expect(err).toBeInstanceOf(GrammyError);
    const ge = err as GrammyError;
    expect(ge.error_code).toBe(400);
    expect(ge.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0');
    expect(tg.messagesIn(CHAT)).toEqual([]);
  });

  it('rejects callback_data over 64 bytes with BUTTON_DATA_INVALID', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const longData = '政策'.repeat(11); // 22 CJK chars = 66 UTF-8 bytes
    const err = await b.api
      .sendMessage(CHAT, '选择', { reply_markup: new InlineKeyboard().text('按钮', longData) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
    expect((err as GrammyError).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    // 21 CJK chars = 63 bytes is fine
    await b.api.sendMessage(CHAT, '选择', { reply_markup: new InlineKeyboard().text('按钮', '政'.repeat(21)) });
  });

  it('answers a concurrent getUpdates with 409 Conflict', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    b.on('message', (ctx) => ctx.reply('still here'));
    await startBot(b);
    const other = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const err = await other.api.getUpdates({ timeout: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(409);
    expect((err as GrammyError).description).toMatch(/^Conflict: terminated by other getUpdates request/);
    // the first bot keeps working
    tg.sendText(CHAT, CHAT, 'still there?');
    const reply = await tg.waitFor('sendMessage');
    expect(reply.payload['text']).toBe('still here');
  });

  it("conflict: 'terminate-old' makes the running bot's start() reject with 409", async () => {
    await tg.close();
    tg = await startFakeTelegram({ conflict: 'terminate-old' });
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    await startBot(b);
    const other = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const result = await other.api.getUpdates({ timeout: 0 });
    expect(result).toEqual([]);
    const startErr = await running;
    expect(startErr).toBeInstanceOf(GrammyError);
    expect((startErr as GrammyError).error_code).toBe(409);
  });

  it('stop() during a long poll does not trigger a conflict', async () => {
    const b = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    await startBot(b);
    await b.stop();
    expect(await running).toBeUndefined();
    const polls = tg.callsOf('getUpdates');
    expect(polls.at(-1)?.ok).toBe(true);
    expect(polls.at(-1)?.payload).toMatchObject({ limit: 1 });
  });

  it('validates texts, edits and drafts like Telegram', async () => {
    const api = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api;
    const desc = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof GrammyError ? e.description : String(e)),
      );
    expect(await desc(api.sendMessage(CHAT, '   '))).toBe('Bad Request: message text is empty');
    expect(await desc(api.sendMessage(CHAT, 'x'.repeat(4097)))).toBe('Bad Request: message is too long');
    // 4096 visible characters are fine even if the HTML source is longer
    expect(await desc(api.sendMessage(CHAT, `<b>${'字'.repeat(4096)}</b>`, { parse_mode: 'HTML' }))).toBe('ok');
    expect(await desc(api.sendMessage(CHAT, '<b>未闭合', { parse_mode: 'HTML' }))).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
    expect(await desc(api.sendMessage(CHAT, '<b><i>x</b></i>', { parse_mode: 'HTML' }))).toMatch(
      /^Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/,
    );
    expect(await desc(api.sendMessage(CHAT, 'a & b', { parse_mode: 'HTML' }))).toMatch(/^Bad Request: can't parse entities: /);
    expect(await desc(api.sendMessage(CHAT, '1 < 2', { parse_mode: 'HTML' }))).toMatch(/^Bad Request: can't parse entities: Unsupported start tag/);
    expect(
      await desc(
        api.sendMessage(
          CHAT,
          '<blockquote expandable><a href="https://example.com/?a=1&amp;b=2">链接</a> <tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> <pre><code class="language-ts">x</code></pre></blockquote>',
          { parse_mode: 'HTML' },
        ),
      ),
    ).toBe('ok');
    const last = tg.lastMessage(CHAT);
    expect(last?.entities?.map((e) => e.type)).toEqual(['expandable_blockquote', 'text_link', 'spoiler', 'spoiler', 'pre']);

    const m = await api.sendMessage(CHAT, '原文', { reply_markup: new InlineKeyboard().text('a', 'a') });
    expect(await desc(api.editMessageText(CHAT, m.message_id, '原文', { reply_markup: new InlineKeyboard().text('a', 'a') }))).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    // same text but keyboard removed = modified
    expect(await desc(api.editMessageText(CHAT, m.message_id, '原文'))).toBe('ok');
    expect(tg.lastMessage(CHAT)?.reply_markup).toBeUndefined();
    expect(await desc(api.editMessageText(CHAT, 9999, 'x'))).toBe('Bad Request: message to edit not found');
    expect(await desc(api.deleteMessage(CHAT, m.message_id))).toBe('ok');
    expect(await desc(api.deleteMessage(CHAT, m.message_id))).toBe('Bad Request: message to delete not found');

    expect(await desc(api.sendMessageDraft(CHAT, 1, '草稿…'))).toBe('ok');
    expect(tg.drafts.get(CHAT)?.text).toBe('草稿…');
    expect(await desc(api.sendMessageDraft(-100123, 1, '草稿'))).toMatch(/^Bad Request: /);

    expect(await desc(api.sendChatAction(CHAT, 'typing'))).toBe('ok');
    const unknown = await fetch(`${tg.apiRoot}/bot${tg.token}/fooBar`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    expect(await desc(api.setMyCommands([{ command: 'ask', description: '提问' }]))).toBe('ok');
    expect(await api.getMyCommands()).toEqual([{ command: 'ask', description: '提问' }]);
    expect(await desc(api.setMyCommands([{ command: 'Bad-Cmd', description: 'x' }]))).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('accepts multipart sendPhoto and records the byte size; caption > 1024 fails', async () => {
    const api = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api;
    const png = Buffer.alloc(2048, 7);
    const msg = await api.sendPhoto(CHAT, new InputFile(png, 'chart.png'), {
      caption: '<b>统计图</b>',
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text('详情', 'd'),
    });
    expect(msg.photo?.at(-1)?.file_size).toBe(2048);
    const call = tg.callsOf('sendPhoto')[0];
    expect(call?.payload['chat_id']).toBe(CHAT);
    expect(call?.payload['photo']).toMatchObject({ kind: 'upload', size: 2048, filename: 'chart.png' });
    expect(call?.payload['reply_markup']).toEqual({ inline_keyboard: [[{ text: '详情', callback_data: 'd' }]] });
    const stored = tg.lastMessage(CHAT);
    expect(stored?.meta.fileBytes).toBe(2048);
    expect(stored?.caption).toBe('统计图');

    const err = await api.sendPhoto(CHAT, new InputFile(png), { caption: '长'.repeat(1025) }).catch((e: unknown) => e);
    expect((err as GrammyError).description).toBe('Bad Request: message caption is too long');
  });

  it('injects 429 with retry_after and drops a long poll', async () => {
    const api = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api;
    tg.failNext('sendMessage', 1, { error_code: 429, retry_after: 3 });
    const err = await api.sendMessage(CHAT, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    const ge = err as GrammyError;
    expect(ge.error_code).toBe(429);
    expect(ge.description).toBe('Too Many Requests: retry after 3');
    expect(ge.parameters.retry_after).toBe(3);
    await api.sendMessage(CHAT, 'x'); // consumed: succeeds now

    tg.dropNextGetUpdates(1);
    await expect(api.getUpdates({ timeout: 5 })).rejects.toThrow();
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it('long polling honours offset, limit and timeout', async () => {
    const api = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api;
    const t0 = Date.now();
    // the fake accepts fractional seconds (Telegram only integers) to keep tests fast
    expect(await api.getUpdates({ timeout: 0.3 })).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);

    const u1 = tg.sendText(CHAT, CHAT, 'a');
    tg.sendText(CHAT, CHAT, 'b');
    const first = await api.getUpdates({ limit: 1 });
    expect(first.map((u) => u.update_id)).toEqual([u1.update_id]);
    const both = await api.getUpdates({});
    expect(both).toHaveLength(2); // not confirmed yet
    const rest = await api.getUpdates({ offset: u1.update_id + 1 });
    expect(rest.map((u) => u.message?.text)).toEqual(['b']);
    expect(tg.pendingUpdates()).toHaveLength(1);

    // a pending poll is answered as soon as an update arrives
    const pending = api.getUpdates({ offset: u1.update_id + 2, timeout: 10 });
    await tg.waitFor((c) => c.method === 'getUpdates' && c.response === undefined);
    tg.inlineQuery(CHAT, '网格');
    const got = await pending;
    expect(got[0]?.inline_query?.query).toBe('网格');
  });

  it('builds sticker, group and voice updates; waitFor times out helpfully', async () => {
    const s = tg.sendSticker(CHAT, CHAT);
    expect(s.message?.sticker?.emoji).toBe('👍');
    const g = tg.sendGroupText(-100200, 7, '@zhili_test_bot /ask@zhili_test_bot 问题');
    expect(g.message?.chat.type).toBe('group');
    expect(g.message?.entities?.map((e) => e.type)).toEqual(['mention', 'bot_command']);
    const v = tg.sendVoice(CHAT, CHAT, Buffer.from('voice-bytes'));
    const api = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api;
    const file = await api.getFile(v.message?.voice?.file_id ?? '');
    const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path ?? ''}`);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('voice-bytes');

    await api.sendMessage(CHAT, 'hello');
    await expect(tg.waitFor('editMessageText', 100)).rejects.toThrow(/timed out after 100 ms[\s\S]*sendMessage/);
  });
});

describe('htmlToText / parseTelegramHtml', () => {
  it('strips tags and unescapes entities', () => {
    expect(htmlToText('<b>粗</b> &lt;tag&gt; &amp; &quot;q&quot; &#20013;&#x6587;')).toBe('粗 <tag> & "q" 中文');
    expect(htmlToText('<p>invalid</p> a & b')).toBe('invalid a & b');
  });

  it('computes UTF-16 entity offsets', () => {
    const r = parseTelegramHtml('😀<i>斜</i>');
    expect(r.text).toBe('😀斜');
    expect(r.entities).toEqual([{ type: 'italic', offset: 2, length: 1 }]);
  });
});
