/**
 * `switchyard compare --image FILE --file FILE` end to end: the real process on
 * a real SQLite file and the mock providers on loopback. A file goes out in the
 * protocol's shape; a missing, too big or unsupported file is one line and
 * nothing is sent.
 */
import { openSync, closeSync, ftruncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { png, pdf } from '../fixtures/attachment-files';
import { CliSandbox, expectOneLineError, parseJsonOutput, runJsonOf } from './cli-helpers';

async function setup(t: TestContext): Promise<{ mock: MockProviders; sb: CliSandbox }> {
  const mock = await startMockProviders();
  t.onTestFinished(() => mock.close());
  const sb = new CliSandbox({ SY_TEST_KEY: 'sk-test-attach-0123456789' });
  t.onTestFinished(() => sb.cleanup());
  const added = await sb.run(['providers', 'add', 'oa', '--type', 'openai', '--catalog-provider', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_TEST_KEY']);
  expect(added.code, added.stderr).toBe(0);
  return { mock, sb };
}

/** A file of `size` bytes that starts with `head`, sparse (a 40 MB file costs no disk). */
function sized(path: string, head: Buffer, size: number): string {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

const MB = 1024 * 1024;

describe.concurrent('compare --image / --file', { timeout: 180_000 }, () => {
  it('sends a PNG and a PDF as OpenAI parts, stored once by hash however often named', async (t) => {
    const { mock, sb } = await setup(t);
    const image = join(sb.dataDir, 'dot.png');
    const doc = join(sb.dataDir, 'brief.pdf');
    writeFileSync(image, png());
    writeFileSync(doc, pdf());
    const r = await sb.run(['compare', 'what is this', '-m', 'oa:gpt-4o-mini', '--image', image, '--file', doc, '--file', image, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(runJsonOf(r).columns.map((c) => c.status)).toEqual(['ok']);
    const body = mock.requests.find((x) => x.model === 'gpt-4o-mini')!.body as { messages: Array<{ content: unknown }> };
    const png64 = png().toString('base64');
    expect(body.messages[0]!.content).toEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png64}` } },
      { type: 'file', file: { filename: 'brief.pdf', file_data: `data:application/pdf;base64,${pdf().toString('base64')}` } },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png64}` } },
      { type: 'text', text: 'what is this' },
    ]);
    const db = new Database(sb.dbFile, { readonly: true });
    t.onTestFinished(() => void db.close());
    expect(db.prepare('SELECT mime, name, size FROM attachments ORDER BY mime').all()).toEqual([
      { mime: 'application/pdf', name: 'brief.pdf', size: pdf().length },
      { mime: 'image/png', name: 'dot.png', size: png().length },
    ]);
  });

  it('compare --follow-up <runId> <prompt> --image F --file F: the turn carries the files, the next turn sends them again', async (t) => {
    const { mock, sb } = await setup(t);
    const image = join(sb.dataDir, 'dot.png');
    const doc = join(sb.dataDir, 'brief.pdf');
    writeFileSync(image, png());
    writeFileSync(doc, pdf());
    const first = await sb.run(['compare', 'hello', '-m', 'oa:gpt-4o-mini', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const runId = runJsonOf(first).runId;
    const turn = await sb.run(['compare', '--follow-up', runId, 'what is this', '--image', image, '--file', doc, '--json']);
    expect(turn.code, turn.stderr).toBe(0);
    const next = await sb.run(['compare', '--follow-up', runId, 'and again', '--json']);
    expect(next.code, next.stderr).toBe(0);
    const [, second, third] = mock.requests.filter((x) => x.model === 'gpt-4o-mini').map((x) => x.body as { messages: Array<{ role: string; content: unknown }> });
    const parts = [
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png().toString('base64')}` } },
      { type: 'file', file: { filename: 'brief.pdf', file_data: `data:application/pdf;base64,${pdf().toString('base64')}` } },
      { type: 'text', text: 'what is this' },
    ];
    expect(second!.messages.at(-1)).toEqual({ role: 'user', content: parts });
    expect(third!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(third!.messages[2]).toEqual({ role: 'user', content: parts });
    expect(third!.messages[4]).toEqual({ role: 'user', content: 'and again' });
    const shown = parseJsonOutput<{ turns: Array<{ turn: number; attachments?: Array<{ name: string }> }> }>(next);
    expect(shown.turns.map((x) => (x.attachments ?? []).map((a) => a.name))).toEqual([[], ['dot.png', 'brief.pdf'], []]);
  });

  it('a text-only model is refused the image before sending; --dry-run says why and counts image tokens', async (t) => {
    const { mock, sb } = await setup(t);
    const image = join(sb.dataDir, 'dot.png');
    writeFileSync(image, png());
    const [run, dry] = await Promise.all([
      sb.run(['compare', 'what is this', '-m', 'oa:gpt-3.5-turbo', '--image', image, '--json']),
      sb.run(['compare', 'what is this', '-m', 'oa:gpt-4o-mini', '-m', 'oa:gpt-3.5-turbo', '--image', image, '--dry-run', '--json']),
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(runJsonOf(run).columns[0]).toMatchObject({ status: 'error', error: 'oa:gpt-3.5-turbo does not accept images (catalog: input text)', attempts: [] });
    const est = parseJsonOutput<{ columns: Array<{ error: string | null; attachmentTokens?: number }> }>(dry);
    expect(est.columns.map((c) => [c.error, c.attachmentTokens])).toEqual([
      [null, 255],
      ['oa:gpt-3.5-turbo does not accept images (catalog: input text)', expect.any(Number)],
    ]);
    expect(mock.requests.filter((x) => x.path.endsWith('/chat/completions'))).toEqual([]);
  });

  it('a missing file, a folder, a too-big file, an unsupported type: one line each, nothing sent', async (t) => {
    const { mock, sb } = await setup(t);
    const dir = sb.dataDir;
    const zip = join(dir, 'report.docx');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]));
    const doc = join(dir, 'brief.pdf');
    writeFileSync(doc, pdf());
    const big = sized(join(dir, 'huge.png'), png(), 21 * MB);
    const huge = sized(join(dir, 'huge.pdf'), pdf(), 40 * MB);
    const base = ['compare', 'hi', '-m', 'oa:gpt-4o-mini'];
    const fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const [missing, folder, tooBig, tooBigAny, unsupported, notImage, device, pipe] = await Promise.all([
      sb.run([...base, '--image', join(dir, 'nope.png')]),
      sb.run([...base, '--file', dir]),
      sb.run([...base, '--image', big]),
      sb.run([...base, '--file', huge]),
      sb.run([...base, '--file', zip]),
      sb.run([...base, '--image', doc]),
      sb.run([...base, '--file', '/dev/zero']),
      sb.run([...base, '--image', fifo]),
    ]);
    expectOneLineError(missing, 1, /^switchyard: --image: cannot read \S+nope\.png: no such file or folder$/);
    expectOneLineError(folder, 1, /^switchyard: --file: cannot read \S+: it is a folder; give a file name$/);
    expectOneLineError(tooBig, 1, /^switchyard: --image: cannot attach "huge\.png": 21\.0 MB is over the 20 MB limit for images$/);
    expectOneLineError(tooBigAny, 1, /^switchyard: --file: cannot attach "huge\.pdf": 40\.0 MB is over the 32 MB limit for any file$/);
    expectOneLineError(unsupported, 1, /^switchyard: --file: cannot attach "report\.docx": unsupported type \(PNG, JPEG, WebP, GIF, PDF or UTF-8 text\)$/);
    expectOneLineError(notImage, 1, /^switchyard: --image: \S+brief\.pdf is not a PNG, JPEG, WebP or GIF image \(it is a PDF: use --file\)$/);
    expectOneLineError(device, 1, /^switchyard: --file: \/dev\/zero is not a regular file \(devices, FIFOs and sockets are refused\)$/);
    expectOneLineError(pipe, 1, /^switchyard: --image: \S+pipe\.png is not a regular file/);
    expect(mock.requests.filter((x) => x.path.endsWith('/chat/completions'))).toEqual([]);
  });
});
