/**
 * Attachment garbage collection on a real SQLite file, through the app's own
 * handlers (the window's and the host's calls): a file goes when the last run
 * that sent it is deleted, or at a start once it has been an orphan for the
 * grace period; a file the saved draft names, or one attached again since, stays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/app/services';
import { GRACE_MS } from '../../electron/app/attachment-gc';
import { ingestAttachment } from '../../electron/engine/attachments';
import { CompareRequest, type RunResult } from '../../shared/domain';
import type { AttachmentRef } from '../../shared/attachments';
import { png, pdf } from '../fixtures/attachment-files';
import type { MockProviders } from '../mocks/provider-server';
import { shareMockProviders } from './helpers';

let mock: MockProviders;
shareMockProviders((m) => (mock = m));
beforeEach(() => mock.reset());

const dirs: string[] = [];
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dataDir: string): App {
  const app = createApp({ dataDir, transport: 'ipc' });
  apps.push(app);
  return app;
}

async function closeApp(app: App): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

async function withProvider(): Promise<{ dir: string; app: App }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-gc-'));
  dirs.push(dir);
  const app = open(dir);
  await app.handlers.providers.saveProvider({ id: 'oa', type: 'openai', baseUrl: mock.baseUrls.openai, serves: [] });
  return { dir, app };
}

async function attach(app: App, name: string, bytes: Buffer): Promise<AttachmentRef> {
  return app.handlers.compare.addAttachment({ name, dataBase64: bytes.toString('base64') });
}

async function runWith(app: App, files: AttachmentRef[]): Promise<RunResult> {
  const finished = new Promise<RunResult>((resolve) => {
    const off = app.onEvent((e) => {
      if (e.type === 'run-finished') {
        off();
        resolve(e.result);
      }
    });
  });
  await app.handlers.compare.startRun(CompareRequest.parse({ messages: [{ role: 'user', content: 'look', attachments: files }], targets: ['oa:gpt-4o-mini'] }));
  return finished;
}

/** The hashes stored in the file, read as another process would. */
function storedHashes(dir: string): string[] {
  const db = new Database(join(dir, 'switchyard.db'), { readonly: true });
  try {
    return (db.prepare('SELECT hash FROM attachments ORDER BY hash').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

describe('attachment garbage collection', () => {
  it("deleting a run removes the files only it sent; a file another run sent, or the saved draft names, stays", async () => {
    const { dir, app } = await withProvider();
    const image = await attach(app, 'dot.png', png());
    const doc = await attach(app, 'brief.pdf', pdf());
    const other = await attach(app, 'other.png', png(2, 2));
    const first = await runWith(app, [image, doc]);
    const second = await runWith(app, [doc, other]);
    expect(first.columns[0]!.status).toBe('ok');

    expect((await app.handlers.history.deleteRun({ runId: first.runId })).ok).toBe(true);
    // The image was only the first run's; the PDF the second run sent too.
    expect(storedHashes(dir)).toEqual([doc.hash, other.hash].sort());

    // The draft on screen names `other`: deleting the last run that sent it keeps it.
    await app.handlers.settings.saveDraft({ draft: { prompt: 'again', attachments: [other] } as never });
    await app.handlers.history.deleteRun({ runId: second.runId });
    expect(storedHashes(dir)).toEqual([other.hash]);
    // The second run's request is gone with it: the history file names no file any more.
    expect(await app.handlers.history.listRuns({ limit: 10, offset: 0 })).toHaveLength(0);
  });

  it('a file attached again after the run (a new draft not saved yet) is not removed with the run', async () => {
    const { dir, app } = await withProvider();
    const image = await attach(app, 'dot.png', png());
    const run = await runWith(app, [image]);
    // Dropped on the prompt again: stored again (its time moves on); the draft is not saved yet.
    await new Promise((r) => setTimeout(r, 5));
    await attach(app, 'dot.png', png());
    await app.handlers.history.deleteRun({ runId: run.runId });
    expect(storedHashes(dir)).toEqual([image.hash]);
  });

  it('at start, orphans older than the grace period go; a young orphan and one the saved draft names stay', async () => {
    const { dir, app } = await withProvider();
    // This process's own start-up collection is over (nothing was stored yet) before the backdated files go in.
    expect(await app.ctx.collected).toBe(0);
    const old = Date.now() - GRACE_MS - 60_000;
    const stale = ingestAttachment(app.ctx.store, 'stale.png', png(3, 3), old);
    const drafted = ingestAttachment(app.ctx.store, 'drafted.pdf', pdf(2), old);
    const used = ingestAttachment(app.ctx.store, 'used.png', png(4, 4), old);
    const fresh = await attach(app, 'fresh.png', png(5, 5));
    await runWith(app, [used]);
    await app.handlers.settings.saveDraft({ draft: { prompt: 'later', attachments: [drafted] } as never });
    await closeApp(app);

    const again = open(dir);
    expect(await again.ctx.collected).toBe(1);
    expect(storedHashes(dir)).toEqual([drafted.hash, used.hash, fresh.hash].sort());
    expect(storedHashes(dir)).not.toContain(stale.hash);
  });
});
