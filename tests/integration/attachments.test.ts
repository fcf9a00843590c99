/**
 * Attachments through the real engine (issue 14): a real 1x1 PNG and a real
 * one-page PDF stored once by hash in the SQLite file, sent to the loopback
 * mocks of all three protocols in each one's own shape (asserted on the bodies
 * the mock received), a text-only endpoint refused before anything is sent,
 * and the pre-flight counting image tokens per protocol.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentRef } from '../../shared/attachments';
import { ingestAttachment } from '../../electron/engine/attachments';
import { estimateRun } from '../../electron/engine/estimate';
import { countPromptTokens } from '../../electron/engine/tokens';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { png, pdf } from '../fixtures/attachment-files';
import { PROMPT, addProvider, closeWorkbenches, col, openWorkbench, requestsFor, type Workbench } from './helpers';

const MODELS = {
  'openai/gpt-4o-mini': ['text', 'image', 'pdf'],
  'openai/gpt-3.5-turbo': ['text'],
  'anthropic/claude-3-5-haiku': ['text', 'image', 'pdf'],
  'google/gemini-2.5-flash': ['text', 'image', 'pdf'],
  'openai/gpt-4-vision-only': ['text', 'image'],
};
const ENDPOINTS: Array<[string, string, string]> = [
  ['openai', 'gpt-4o-mini', 'openai/gpt-4o-mini'],
  ['openai', 'gpt-3.5-turbo', 'openai/gpt-3.5-turbo'],
  ['openai', 'gpt-4-vision-only', 'openai/gpt-4-vision-only'],
  ['anthropic', 'claude-3-5-haiku-latest', 'anthropic/claude-3-5-haiku'],
  ['google', 'gemini-2.5-flash', 'google/gemini-2.5-flash'],
];

const CATALOG = {
  asOf: '2026-07-02',
  source: 'attachment tests',
  license: 'none',
  providers: (['openai', 'anthropic', 'google'] as const).map((id) => ({ id, name: id, api: null, env: [], doc: null, npm: null, protocol: id === 'google' ? 'gemini' : id })),
  models: Object.entries(MODELS).map(([id, inputModalities]) => ({
    id, name: id, family: null, reasoning: false, toolCall: false, attachment: inputModalities.length > 1, structuredOutput: null,
    inputModalities, outputModalities: ['text'], contextWindow: 128000, maxOutput: 4096, releaseDate: null, openWeights: false,
  })),
  endpoints: ENDPOINTS.map(([providerId, upstreamModel, modelId]) => ({
    providerId, upstreamModel, modelId, price: { inputPerM: 1, outputPerM: 2, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] },
    contextWindow: 128000, maxOutput: 4096, capabilities: { tools: false, vision: null, json: null, reasoning: false },
  })),
  overrides: [],
};

let mock: MockProviders;
let wb: Workbench;
const PNG = png();
const PDF = pdf();
let image: AttachmentRef;
let doc: AttachmentRef;

beforeAll(async () => {
  mock = await startMockProviders();
  wb = openWorkbench({ catalog: CATALOG });
  await addProvider(wb, { id: 'openai', type: 'openai', baseUrl: mock.baseUrls.openai, catalogProvider: 'openai' });
  await addProvider(wb, { id: 'anthropic', type: 'anthropic', baseUrl: mock.baseUrls.anthropic, catalogProvider: 'anthropic' });
  await addProvider(wb, { id: 'google', type: 'gemini', baseUrl: mock.baseUrls.gemini, catalogProvider: 'google' });
  // A provider the catalog does not know: its modalities are unknown.
  await addProvider(wb, { id: 'local', type: 'openai', baseUrl: mock.baseUrls.openai });
  image = ingestAttachment(wb.ctx.store, 'dot.png', PNG);
  doc = ingestAttachment(wb.ctx.store, 'brief.pdf', PDF);
});
afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});
beforeEach(() => mock.reset());

const withFiles = (targets: string[], attachments: AttachmentRef[]) => ({ messages: [{ role: 'user' as const, content: PROMPT, attachments }], targets });

describe('attachments', () => {
  it('are typed from their bytes and stored once by sha256', () => {
    expect(image).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), mime: 'image/png', name: 'dot.png', size: PNG.length });
    expect(doc.mime).toBe('application/pdf');
    // The same bytes under another name: the same hash, no second row.
    const again = ingestAttachment(wb.ctx.store, 'renamed.png', PNG);
    expect(again.hash).toBe(image.hash);
    expect(wb.ctx.store.attachments.count()).toBe(2);
    expect(wb.ctx.store.attachments.meta(image.hash)).toMatchObject({ width: 1, height: 1, pages: null, name: 'dot.png' });
    expect(wb.ctx.store.attachments.meta(doc.hash)).toMatchObject({ pages: 1 });
  });

  it('refuses an empty file, binary junk, a name\'s claim and text over its limit, in one line each, storing nothing', () => {
    const before = wb.ctx.store.attachments.count();
    expect(() => ingestAttachment(wb.ctx.store, 'empty.txt', Buffer.alloc(0))).toThrow(/^cannot attach "empty\.txt": the file is empty$/);
    expect(() => ingestAttachment(wb.ctx.store, 'photo.png', Buffer.from([0, 1, 2, 3, 0xff, 0xfe]))).toThrow(/^cannot attach "photo\.png": unsupported type \(PNG, JPEG, WebP, GIF, PDF or UTF-8 text\)$/);
    expect(() => ingestAttachment(wb.ctx.store, 'big.txt', Buffer.alloc(2 * 1024 * 1024 + 1, 0x61))).toThrow(/^cannot attach "big\.txt": 2\.0 MB is over the 2 MB limit for text files$/);
    // A name cannot smuggle a line break into messages or the inlined header.
    expect(ingestAttachment(wb.ctx.store, 'a\nb.txt', Buffer.from('x')).name).toBe('ab.txt');
    expect(wb.ctx.store.attachments.count()).toBe(before + 1);
  });

  it('a PNG and a PDF arrive in each protocol\'s own shape', async () => {
    const result = await wb.engine.compare(withFiles(['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest', 'google:gemini-2.5-flash'], [image, doc]));
    expect(result.columns.map((c) => [c.status, c.error])).toEqual([['ok', null], ['ok', null], ['ok', null]]);
    const png64 = PNG.toString('base64');
    const pdf64 = PDF.toString('base64');

    const openai = requestsFor(mock, 'gpt-4o-mini')[0]!.body as { messages: unknown[] };
    expect(openai.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${png64}` } },
          { type: 'file', file: { filename: 'brief.pdf', file_data: `data:application/pdf;base64,${pdf64}` } },
          { type: 'text', text: PROMPT },
        ],
      },
    ]);
    const anthropic = requestsFor(mock, 'claude-3-5-haiku-latest')[0]!.body as { messages: unknown[] };
    expect(anthropic.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png64 } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf64 } },
          { type: 'text', text: PROMPT },
        ],
      },
    ]);
    const gemini = requestsFor(mock, 'gemini-2.5-flash')[0]!.body as { contents: unknown[] };
    expect(gemini.contents).toEqual([
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: png64 } }, { inlineData: { mimeType: 'application/pdf', data: pdf64 } }, { text: PROMPT }] },
    ]);
  });

  it('a text file is inlined as text under its name, for every protocol', async () => {
    const notes = ingestAttachment(wb.ctx.store, 'notes.md', Buffer.from('# Notes\nhéllo wörld\n'));
    expect(notes.mime).toBe('text/plain');
    const result = await wb.engine.compare(withFiles(['openai:gpt-3.5-turbo', 'anthropic:claude-3-5-haiku-latest', 'google:gemini-2.5-flash'], [notes]));
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    const inlined = '[file notes.md]\n# Notes\nhéllo wörld\n';
    expect((requestsFor(mock, 'gpt-3.5-turbo')[0]!.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: inlined }, { type: 'text', text: PROMPT }] }]);
    expect((requestsFor(mock, 'claude-3-5-haiku-latest')[0]!.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: inlined }, { type: 'text', text: PROMPT }] }]);
    expect((requestsFor(mock, 'gemini-2.5-flash')[0]!.body as { contents: unknown[] }).contents).toEqual([{ role: 'user', parts: [{ text: inlined }, { text: PROMPT }] }]);
  });

  it('a text-only endpoint is refused an image before sending, with the catalog\'s reason; the other column is sent', async () => {
    const result = await wb.engine.compare(withFiles(['openai:gpt-3.5-turbo', 'openai:gpt-4o-mini'], [image]));
    expect(col(result, 0).status).toBe('error');
    expect(col(result, 0).error).toBe('openai:gpt-3.5-turbo does not accept images (catalog: input text)');
    expect(col(result, 0).attempts).toEqual([]);
    expect(col(result, 1).status).toBe('ok');
    expect(requestsFor(mock, 'gpt-3.5-turbo')).toEqual([]);
    expect(requestsFor(mock, 'gpt-4o-mini')).toHaveLength(1);
  });

  it('an image-only endpoint is refused a PDF; the pre-flight says so too', async () => {
    const req = withFiles(['openai:gpt-4-vision-only'], [doc]);
    const est = await estimateRun(wb.ctx, req);
    expect(est.columns[0]!.error).toBe('openai:gpt-4-vision-only does not accept PDFs (catalog: input text, image)');
    const result = await wb.engine.compare(req);
    expect(col(result).error).toBe('openai:gpt-4-vision-only does not accept PDFs (catalog: input text, image)');
    expect(mock.requests).toEqual([]);
  });

  it('an endpoint the catalog does not know is sent the image, with a pre-flight warning', async () => {
    const req = withFiles(['local:my-vision-model'], [image]);
    const est = await estimateRun(wb.ctx, req);
    expect(est.columns[0]!.error).toBeNull();
    expect(est.columns[0]!.warnings).toEqual(['local:my-vision-model: the catalog does not say whether it accepts images; sending anyway']);
    const result = await wb.engine.compare(req);
    expect(col(result).status).toBe('ok');
    expect(requestsFor(mock, 'my-vision-model')).toHaveLength(1);
  });

  it('two columns, one stored row; the run references the file by hash', async () => {
    const before = wb.ctx.store.attachments.count();
    const result = await wb.engine.compare(withFiles(['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest'], [image]));
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok']);
    expect(wb.ctx.store.attachments.count()).toBe(before);
    expect(wb.ctx.store.attachments.ofRun(result.runId)).toEqual([image.hash]);
    const saved = wb.ctx.store.runs.getRun(result.runId)!;
    expect(saved.request!.messages[0]!.attachments).toEqual([image]);
    // The request kept in history carries the reference, never the bytes.
    expect(JSON.stringify(saved.request)).not.toContain(PNG.toString('base64'));
  });

  it('a cut stream without usage counts the image by the protocol\'s rule in its estimated input', async () => {
    mock.script('cut-img', { tokens: 6, fault: 'missing_terminal', faultAfterTokens: 3 });
    // OpenAI's usage rides on the last chunk, which a cut stream never sends.
    const result = await wb.engine.compare(withFiles(['openai:cut-img'], [image]));
    expect(col(result).status).toBe('incomplete');
    const prompt = countPromptTokens({ messages: [{ role: 'user', content: PROMPT }] }, 'cut-img');
    // OpenAI: 85 + 170 for the one 512px tile of a 1x1 image.
    expect(col(result).usage).toMatchObject({ inputTokens: prompt + 255, estimated: true });
  });

  it('a hash that is not stored is refused in one line, nothing sent', async () => {
    const ghost = { ...image, hash: 'a'.repeat(64) };
    await expect(wb.engine.compare(withFiles(['openai:gpt-4o-mini'], [ghost]))).rejects.toThrow(/^attachment aaaaaaaaaaaa… is not stored on this machine: attach the file again$/);
    expect(mock.requests).toEqual([]);
  });

  it('the stored type wins over the one a caller claims', async () => {
    const lying = { ...image, mime: 'text/plain' as const };
    const result = await wb.engine.compare(withFiles(['openai:gpt-3.5-turbo'], [lying]));
    expect(col(result).error).toBe('openai:gpt-3.5-turbo does not accept images (catalog: input text)');
    expect(mock.requests).toEqual([]);
  });

  it('the pre-flight counts image and PDF tokens by each protocol\'s rule, marked as attachment tokens', async () => {
    const est = await estimateRun(wb.ctx, withFiles(['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest', 'google:gemini-2.5-flash'], [image, doc]));
    // 1x1 PNG: OpenAI 85 + 170 x 1 tile; Anthropic ceil(1/750) = 1; Gemini 258. One-page PDF: 3000, 3000, 258.
    expect(est.columns.map((c) => c.attachmentTokens)).toEqual([255 + 3000, 1 + 3000, 258 + 258]);
    const plain = await estimateRun(wb.ctx, { messages: [{ role: 'user', content: PROMPT }], targets: ['openai:gpt-4o-mini'] });
    expect(est.columns[0]!.inputTokens - plain.columns[0]!.inputTokens).toBe(3255);
    expect(plain.columns[0]!.attachmentTokens).toBeUndefined();
  });
});

describe('attachments on follow-up turns', () => {
  const TARGETS = ['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest', 'google:gemini-2.5-flash'];
  const UPSTREAM = ['gpt-4o-mini', 'claude-3-5-haiku-latest', 'gemini-2.5-flash'];

  it("a follow-up's files go with its prompt in each protocol's shape, and every later turn sends the earlier turns' files again", async () => {
    const first = await wb.engine.compare(withFiles(TARGETS, [image]));
    const second = await wb.engine.followUp(first.runId, 'and this one?', { attachments: [doc] }).done;
    const third = await wb.engine.followUp(first.runId, 'compare them').done;
    expect(third.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    // The turn keeps its files (type and size as stored), and the run links them: deleting it may collect them.
    expect(third.turns?.map((t) => t.attachments?.map((a) => a.name) ?? [])).toEqual([[], ['brief.pdf'], []]);
    expect(wb.ctx.store.attachments.ofRun(first.runId)).toEqual([image.hash, doc.hash].sort());

    const png64 = PNG.toString('base64');
    const pdf64 = PDF.toString('base64');
    const answer = (i: number, turn: number) => col(third, i).turns!.find((t) => t.turn === turn)!.text;
    const [oa, an, ge] = UPSTREAM.map((m) => requestsFor(mock, m).map((r) => r.body as Record<string, unknown>));
    expect(oa!.length).toBe(3);
    expect(oa![2]!.messages).toEqual([
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png64}` } }, { type: 'text', text: PROMPT }] },
      { role: 'assistant', content: answer(0, 0) },
      { role: 'user', content: [{ type: 'file', file: { filename: 'brief.pdf', file_data: `data:application/pdf;base64,${pdf64}` } }, { type: 'text', text: 'and this one?' }] },
      { role: 'assistant', content: answer(0, 1) },
      { role: 'user', content: 'compare them' },
    ]);
    expect(an![2]!.messages).toEqual([
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png64 } }, { type: 'text', text: PROMPT }] },
      { role: 'assistant', content: answer(1, 0) },
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf64 } }, { type: 'text', text: 'and this one?' }] },
      { role: 'assistant', content: answer(1, 1) },
      { role: 'user', content: 'compare them' },
    ]);
    expect(ge![2]!.contents).toEqual([
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: png64 } }, { text: PROMPT }] },
      { role: 'model', parts: [{ text: answer(2, 0) }] },
      { role: 'user', parts: [{ inlineData: { mimeType: 'application/pdf', data: pdf64 } }, { text: 'and this one?' }] },
      { role: 'model', parts: [{ text: answer(2, 1) }] },
      { role: 'user', parts: [{ text: 'compare them' }] },
    ]);
    // The second turn's own body: the new turn's parts, the first turn's image kept.
    expect((an![1]!.messages as unknown[]).length).toBe(3);
    expect(second.turns).toHaveLength(2);
  });

  it("a text-only endpoint is refused a follow-up's image before sending; an unknown file is one line and records nothing", async () => {
    const first = await wb.engine.compare({ messages: [{ role: 'user', content: PROMPT }], targets: ['openai:gpt-3.5-turbo'] });
    const before = requestsFor(mock, 'gpt-3.5-turbo').length;
    const result = await wb.engine.followUp(first.runId, 'what is in it?', { attachments: [image] }).done;
    expect(col(result, 0).status).toBe('error');
    expect(col(result, 0).error).toBe('openai:gpt-3.5-turbo does not accept images (catalog: input text)');
    expect(requestsFor(mock, 'gpt-3.5-turbo')).toHaveLength(before);

    const ghost = { ...image, hash: 'b'.repeat(64) };
    expect(() => wb.engine.followUp(first.runId, 'again', { attachments: [ghost] })).toThrow(/^attachment bbbbbbbbbbbb… is not stored on this machine/);
    expect(wb.ctx.store.runs.getRun(first.runId)!.turns).toHaveLength(2);
  });
});
