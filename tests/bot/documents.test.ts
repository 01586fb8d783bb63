// Documents sent to the bot: an admin's are checked, stored, indexed and described; /essays and
// answers use them at once; /remove takes one out after a confirm button. Others are told that
// only admins add documents; a file over Telegram's 20 MB is refused before any download.
import { cp, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { documentsFeature } from '../../src/bot/features/documents.ts';
import { LocalLibrary } from '../../src/knowledge/library.ts';
import { makeDocx, makePdf, makeScannedPdf } from '../helpers/documents.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { buildApp, buttonsOf, messageIdOf, nextText, startBot, tempDir, testConfig, type RunningBot } from './setup.ts';

const ADMIN = 9501;
const USER = 9502;
const TITLE = '关于推行“夜间议事厅”的工作方案';

describe('documents sent to the bot', () => {
  let tg: FakeTelegram;
  let app: App;
  let running: RunningBot;
  let data: { path: string; remove: () => Promise<void> };
  let knowledge: { path: string; remove: () => Promise<void> };
  let pdf: Buffer;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    data = await tempDir();
    knowledge = await tempDir('zhili-kb-');
    await cp('knowledge', knowledge.path, { recursive: true });
    app = await buildApp(testConfig({ TELEGRAM_API_ROOT: tg.apiRoot, DATA_DIR: data.path, KNOWLEDGE_DIR: knowledge.path, ADMIN_USER_IDS: String(ADMIN) }));
    running = await startBot(app, { features: [documentsFeature({ app, library: new LocalLibrary(knowledge.path) })] });
    pdf = await makePdf({
      title: TITLE,
      author: '北辰区民政局',
      pages: [
        [
          { text: '一、工作目标', size: 15 },
          { text: '北辰区推行“夜间议事厅”，每周三晚上组织居民代表在社区活动中心协商停车难、加装电梯等问题。', gapBefore: 6 },
          { text: '二、工作步骤', size: 15, gapBefore: 10 },
          { text: '议事厅由社区党组织书记主持，议定事项在三个工作日内公示，接受居民监督。', gapBefore: 6 },
        ],
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    await tg?.close();
    await data?.remove();
    await knowledge?.remove();
  });

  it('adds an admin’s PDF: stored, indexed, described with its title, passages and sections; /essays and answers use it at once', async () => {
    const since = tg.mark();
    tg.sendDocument(ADMIN, ADMIN, pdf, { file_name: '夜间议事厅方案.pdf', mime_type: 'application/pdf' });
    const done = await nextText(tg, ADMIN, since, (text) => text.includes('已加入知识库'), 15_000);
    const text = String(done.payload['text']);
    expect(text).toMatch(new RegExp(`已加入知识库:《${TITLE}》,\\d+ 段。`));
    expect(text).toContain('章节:一、工作目标、二、工作步骤');
    expect(text).toContain('共 12 篇文章');
    expect(await readdir(knowledge.path)).toContain('夜间议事厅方案.pdf');
    // the token is in the download URL: it never reaches a reply
    expect(tg.calls.slice(since).some((c) => JSON.stringify(c.payload).includes(tg.token))).toBe(false);

    const essays = tg.mark();
    tg.sendText(ADMIN, ADMIN, '/essays');
    const list = await nextText(tg, ADMIN, essays);
    expect(buttonsOf(list).some((b) => b.text.includes('关于推行“夜间议事厅”'))).toBe(true);

    const asked = tg.mark();
    tg.sendText(USER, USER, '夜间议事厅是怎样组织居民协商的?');
    const answer = await nextText(tg, USER, asked, (t) => t.includes('['), 10_000);
    expect(String(answer.payload['text'])).toContain('每周三晚上');
    expect(String(answer.payload['text'])).toContain(`《${TITLE}》`);
  }, 30_000);

  it('says so when the same file comes again, and keeps both when another file has the name', async () => {
    let since = tg.mark();
    tg.sendDocument(ADMIN, ADMIN, pdf, { file_name: '夜间议事厅方案.pdf' });
    await nextText(tg, ADMIN, since, (text) => text.includes('已经在知识库里了(夜间议事厅方案.pdf)'), 10_000);

    since = tg.mark();
    const other = await makeDocx({ title: '网格员工作守则', blocks: [{ text: '网格员每天巡查网格，及时上报矛盾纠纷和安全隐患。' }] });
    tg.sendDocument(ADMIN, ADMIN, other, { file_name: '../../夜间议事厅方案.docx' });
    const added = await nextText(tg, ADMIN, since, (text) => text.includes('已加入知识库'), 15_000);
    expect(String(added.payload['text'])).toContain('《网格员工作守则》');
    expect((await readdir(knowledge.path)).filter((n) => n.startsWith('夜间议事厅方案'))).toEqual(['夜间议事厅方案.docx', '夜间议事厅方案.pdf']);
  }, 30_000);

  it('explains why a scan is not added, and leaves the knowledge base as it was', async () => {
    const before = await readdir(knowledge.path);
    const since = tg.mark();
    tg.sendDocument(ADMIN, ADMIN, await makeScannedPdf(), { file_name: '扫描件.pdf' });
    const refused = await nextText(tg, ADMIN, since, (text) => text.includes('没有加入知识库'), 10_000);
    expect(String(refused.payload['text'])).toContain('《扫描件.pdf》没有文字层');
    expect(await readdir(knowledge.path)).toEqual(before);
  });

  it('refuses unsupported formats and files over Telegram’s 20 MB without downloading them', async () => {
    let since = tg.mark();
    tg.sendDocument(ADMIN, ADMIN, Buffer.from('MZ'), { file_name: 'setup.exe' });
    const format = await nextText(tg, ADMIN, since);
    expect(String(format.payload['text'])).toContain('暂不支持这种文件(setup.exe)');
    expect(String(format.payload['text'])).toContain('PDF');

    since = tg.mark();
    tg.sendDocument(ADMIN, ADMIN, Buffer.from('%PDF-1.7'), { file_name: '大文件.pdf', size: 25 * 1024 * 1024 });
    const large = await nextText(tg, ADMIN, since);
    expect(String(large.payload['text'])).toContain('超过了 Telegram 允许机器人下载的 20 MB');
    expect(tg.calls.slice(since).filter((c) => c.method === 'getFile')).toHaveLength(0);
  });

  it('tells anyone else that only admins add documents, and downloads nothing', async () => {
    const since = tg.mark();
    tg.sendDocument(USER, USER, pdf, { file_name: '我的资料.pdf' });
    const note = await nextText(tg, USER, since);
    expect(String(note.payload['text'])).toContain('只有管理员可以往知识库里添加文件');
    expect(tg.calls.slice(since).filter((c) => c.method === 'getFile')).toHaveLength(0);
    expect(await readdir(knowledge.path)).not.toContain('我的资料.pdf');
  });

  it('/remove asks first, then takes the document out of the knowledge base and /essays', async () => {
    let since = tg.mark();
    tg.sendText(USER, USER, '/remove 1');
    expect(String((await nextText(tg, USER, since)).payload['text'])).toContain('只有管理员');

    since = tg.mark();
    tg.sendText(ADMIN, ADMIN, '/remove 夜间议事厅方案.pdf');
    const confirm = await nextText(tg, ADMIN, since, (text) => text.includes('确定要从知识库删除'));
    expect(String(confirm.payload['text'])).toContain(`《${TITLE}》`);
    const yes = buttonsOf(confirm).find((b) => b.text === '确认删除');
    expect(yes).toBeDefined();

    // a button pressed by someone else does nothing
    since = tg.mark();
    tg.pressButton(messageIdOf(confirm), yes!.data, USER, { chatId: ADMIN });
    await tg.waitFor((c) => c.method === 'answerCallbackQuery', 5000, { since });
    expect(await readdir(knowledge.path)).toContain('夜间议事厅方案.pdf');

    since = tg.mark();
    tg.pressButton(messageIdOf(confirm), yes!.data, ADMIN);
    await nextText(tg, ADMIN, since, (text) => text.includes(`已删除《${TITLE}》`), 15_000);
    expect(await readdir(knowledge.path)).not.toContain('夜间议事厅方案.pdf');
    expect(app.index.retriever.essays.some((e) => e.title === TITLE)).toBe(false);
    const answer = await app.answerer.answer('夜间议事厅是怎样组织居民协商的?');
    expect(answer.citations.some((c) => c.title === TITLE)).toBe(false);
  }, 30_000);
});
