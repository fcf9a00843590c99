/**
 * Crash and cancel: the real `switchyard compare` streaming from the mock
 * providers (run as a child process) is killed with SIGKILL or interrupted
 * with SIGINT mid-stream. The next start must find a readable, consistent
 * record: the run `interrupted` with the text that had arrived, nothing left
 * running, the database intact, and the spend ledger neither losing nor
 * double-counting a cent.
 */
import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { countPromptTokens, countTokens } from '../../electron/engine/tokens';
import { computeCost } from '../../shared/pricing';
import { binaryAttachmentTokens } from '../../shared/attachments';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { png, pdf } from '../fixtures/attachment-files';
import { CliSandbox, cleanupCli, parseJsonOutput, runJsonOf, startMockProcess, waitFor, type MockProcess } from './cli-helpers';

/** 400 tokens at 20 ms: an eight-second stream, long enough to be caught in the middle on a slow machine. */
const SLOW = { tokens: 400, tokenDelayMs: 20 };
const KEY_ENV = { SY_TEST_KEY: 'sk-test-crash-0000' };

interface ColumnRow { id: string; idx: number; status: string; text: string; cost_usd: number | null }

function latestRun(db: Database.Database): { id: string; status: string; columns: ColumnRow[] } | undefined {
  const run = db.prepare('SELECT id, status FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { id: string; status: string } | undefined;
  if (!run) return undefined;
  return { ...run, columns: db.prepare('SELECT id, idx, status, text, cost_usd FROM columns WHERE run_id = ? ORDER BY idx').all(run.id) as ColumnRow[] };
}

/** Polls the SQLite file (read-only, as another process would) until the running run satisfies `ready`. */
async function waitForRun(sb: CliSandbox, what: string, ready: (cols: ColumnRow[]) => boolean) {
  const db = sb.readDb();
  try {
    return await waitFor(what, () => {
      const run = latestRun(db);
      return run && run.status === 'running' && ready(run.columns) ? run : undefined;
    });
  } finally {
    db.close();
  }
}

describe('switchyard under kill -9 and Ctrl-C', () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMockProcess({ scripts: { slow: SLOW, 'gpt-4o': SLOW } });
  });
  afterEach(cleanupCli);
  afterAll(() => mock?.stop());

  /**
   * A data directory with the mock as provider `m` (unpriced) or as `oa`, which stands for the
   * catalog's openai and so has its prices.
   */
  async function sandboxWith(provider: 'm' | 'oa'): Promise<CliSandbox> {
    const sb = new CliSandbox(KEY_ENV);
    const args = provider === 'm' ? [] : ['--catalog-provider', 'openai', '--api-key-env', 'SY_TEST_KEY'];
    const added = await sb.run(['providers', 'add', provider, '--type', 'openai', '--base-url', mock.baseUrls.openai, ...args]);
    expect(added.code, added.stderr).toBe(0);
    return sb;
  }

  it('kill -9 mid-stream: the next start marks the run interrupted, keeps the partial text, database intact', { timeout: 180_000 }, async () => {
    const sb = await sandboxWith('m');
    const cli = sb.start(['compare', 'crash me', '-m', 'm:slow', '-m', 'm:slow', '--json']);
    const seen = await waitForRun(sb, 'both columns to have streamed text', (cols) => cols.length === 2 && cols.every((c) => c.text.length > 0));

    cli.child.kill('SIGKILL');
    const killed = await cli.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');

    // Before any restart the file still says running: only the next start can tell the process is gone.
    const before = sb.readDb();
    expect(latestRun(before)).toMatchObject({ id: seen.id, status: 'running' });
    before.close();

    // Two commands start at once: both may try to recover; the outcome must be the same.
    const [list, show] = await Promise.all([sb.run(['history', 'list', '--json']), sb.run(['history', 'show', seen.id, '--json'])]);
    expect(list.code, list.stderr).toBe(0);
    expect(show.code, show.stderr).toBe(0);
    const summaries = parseJsonOutput<Array<{ runId: string; status: string; columnStatuses: string[] }>>(list);
    expect(summaries[0]).toMatchObject({ runId: seen.id, status: 'interrupted', columnStatuses: ['interrupted', 'interrupted'] });

    const run = runJsonOf(show);
    for (const [i, col] of run.columns.entries()) {
      expect(col.status).toBe('interrupted');
      expect(col.error).toMatch(/interrupted/);
      // The text that had arrived, never less than what was on disk when the process died.
      expect(col.text.startsWith('tok1 tok2')).toBe(true);
      expect(col.text.startsWith(seen.columns[i]!.text)).toBe(true);
      expect(col.text.split(' ').length).toBeLessThan(SLOW.tokens);
      expect(col.attempts.map((a) => a.status)).toEqual(['interrupted']);
      // The text that arrived is counted, but an unpriced endpoint has no cost to put in the ledger.
      expect(col.usage).toMatchObject({ outputTokens: countTokens(col.text, 'slow'), estimated: true });
      expect(col.costUsd).toBeNull();
    }

    const db = sb.readDb();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE status = 'running'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM columns WHERE status IN ('queued', 'running')`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT status, finished_at IS NOT NULL AS finished FROM runs WHERE id = ?`).get(seen.id)).toEqual({ status: 'interrupted', finished: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM spend_ledger').get()).toEqual({ n: 0 });
    db.close();
  });

  it('Ctrl-C cancels cleanly: columns cancelled with their partial text, the table printed, exit 2', { timeout: 180_000 }, async () => {
    const sb = await sandboxWith('m');
    const cli = sb.start(['compare', 'cancel me', '-m', 'm:slow', '-m', 'm:slow']);
    const seen = await waitForRun(sb, 'both columns to have streamed text', (cols) => cols.length === 2 && cols.every((c) => c.text.length > 0));

    cli.child.kill('SIGINT');
    const r = await cli.exited;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('cancelling… (Ctrl-C again to quit now)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // The partial text is flushed to the terminal, each column ends with its status, then the table.
    expect(r.stdout).toMatch(/^\[1\] tok1 tok2 /m);
    expect(r.stdout).toMatch(/^\[1\] = cancelled/m);
    expect(r.stdout).toMatch(/^\[2\] = cancelled/m);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('m:slow '));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/\s{2}cancelled$/);
    expect(r.stdout).toContain(`run ${seen.id}\n`);

    // Recorded as cancelled by the process itself, not left for crash recovery.
    const db = sb.readDb();
    const after = latestRun(db)!;
    expect(after).toMatchObject({ id: seen.id, status: 'done' });
    for (const [i, col] of after.columns.entries()) {
      expect(col.status).toBe('cancelled');
      expect(col.text.startsWith(seen.columns[i]!.text)).toBe(true);
      expect(col.text.length).toBeGreaterThan(0);
    }
    expect(db.prepare(`SELECT DISTINCT a.status FROM attempts a JOIN columns c ON c.id = a.column_id WHERE c.run_id = ?`).all(seen.id)).toEqual([{ status: 'cancelled' }]);
    db.close();
  });

  it('kill -9 mid-stream with an image and a PDF attached: the next start bills their tokens too, by the estimate the pre-flight uses, marked estimated', { timeout: 180_000 }, async () => {
    const sb = await sandboxWith('oa');
    const image = join(sb.dataDir, 'big.png');
    const doc = join(sb.dataDir, 'two.pdf');
    writeFileSync(image, png(1024, 1024));
    writeFileSync(doc, pdf(2));
    const prompt = 'crash with files';
    const cli = sb.start(['compare', prompt, '-m', 'openai/gpt-4o', '--image', image, '--file', doc, '--json']);
    const seen = await waitForRun(sb, 'the column to have streamed text', (cols) => cols.length === 1 && cols[0]!.text.length > 0);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');

    // The pre-flight's figure for these files on this endpoint (OpenAI's rule: tiles of the image, 3,000 a PDF page).
    const dry = parseJsonOutput<{ columns: Array<{ attachmentTokens: number }> }>(await sb.run(['compare', prompt, '-m', 'openai/gpt-4o', '--image', image, '--file', doc, '--dry-run', '--json']));
    const files = binaryAttachmentTokens('openai', 'image/png', { width: 1024, height: 1024, pages: null }) + binaryAttachmentTokens('openai', 'application/pdf', { width: null, height: null, pages: 2 });
    expect(files).toBe(765 + 6000);
    expect(dry.columns[0]!.attachmentTokens).toBe(files);

    const cut = runJsonOf(await sb.run(['history', 'show', seen.id, '--json'])).columns[0]!;
    expect(cut.status).toBe('interrupted');
    const inputTokens = countPromptTokens({ messages: [{ role: 'user', content: prompt }] }, 'openai/gpt-4o') + files;
    const outputTokens = countTokens(cut.text, 'openai/gpt-4o');
    expect(cut.usage).toMatchObject({ inputTokens, outputTokens, estimated: true });
    const price = Catalog.shipped().findEndpoint('openai', 'gpt-4o')!.price!;
    expect(cut.costUsd).toBe(computeCost({ inputTokens, outputTokens }, price));
  });

  it('kill -9 after some priced columns finished: the interrupted one is billed for what arrived, once; spend counts every column once', { timeout: 180_000 }, async () => {
    const sb = await sandboxWith('oa');
    // Two fast priced columns finish; the third (gpt-4o, scripted slow) is killed mid-stream.
    const prompt = 'spend then crash';
    const cli = sb.start(['compare', prompt, '-m', 'openai/gpt-4o-mini', '-m', 'openai/gpt-4o-mini', '-m', 'openai/gpt-4o', '--json']);
    const seen = await waitForRun(sb, 'two columns ok and the third streaming', (cols) =>
      cols.length === 3 && cols[0]!.status === 'ok' && cols[1]!.status === 'ok' && cols[2]!.text.length > 0);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');

    // Restart: read the crashed run and spend more, at the same time (both may settle the interrupted column).
    const [show, after] = await Promise.all([
      sb.run(['history', 'show', seen.id, '--json']),
      sb.run(['compare', 'spend after the crash', '-m', 'openai/gpt-4o-mini', '--json']),
    ]);
    expect(after.code, after.stderr).toBe(0);
    const crashed = runJsonOf(show);
    expect(crashed.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'interrupted']);
    expect(crashed.columns[0]!.costUsd).toBeGreaterThan(0);
    const afterCost = runJsonOf(after).columns[0]!.costUsd!;
    expect(afterCost).toBeGreaterThan(0);

    // The interrupted column: tokens of the text that arrived and of the stored prompt, at gpt-4o's catalog price, estimated.
    const cut = crashed.columns[2]!;
    const price = Catalog.shipped().findEndpoint('openai', 'gpt-4o')!.price!;
    const outputTokens = countTokens(cut.text, 'openai/gpt-4o');
    const inputTokens = countPromptTokens({ messages: [{ role: 'user', content: prompt }] }, 'openai/gpt-4o');
    expect(outputTokens).toBeGreaterThan(0);
    expect(cut.usage).toMatchObject({ inputTokens, outputTokens, estimated: true });
    expect(cut.costUsd).toBe(computeCost({ inputTokens, outputTokens }, price));
    expect(cut.servedBy).toEqual({ provider: 'oa', model: 'gpt-4o' });

    const spendArgs = ['spend', '--json', '--by', 'model'];
    const spend = parseJsonOutput<{ totalUsd: number; rows: Array<{ key: string; usd: number; runs: number }> }>(await sb.run(spendArgs));
    const readLedger = () => {
      const db = sb.readDb();
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        return {
          recorded: db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS usd, COUNT(cost_usd) AS n FROM columns').get() as { usd: number; n: number },
          ledger: db.prepare('SELECT column_id, cost_usd, estimated FROM spend_ledger ORDER BY column_id').all() as Array<{ column_id: string; cost_usd: number; estimated: number }>,
          costed: db.prepare('SELECT id FROM columns WHERE cost_usd IS NOT NULL ORDER BY id').all() as Array<{ id: string }>,
        };
      } finally {
        db.close();
      }
    };
    const first = readLedger();

    expect(first.recorded.n).toBe(4);
    expect(spend.totalUsd).toBeCloseTo(first.recorded.usd, 15);
    expect(spend.totalUsd).toBeCloseTo(crashed.columns[0]!.costUsd! + crashed.columns[1]!.costUsd! + cut.costUsd! + afterCost, 15);
    // One ledger entry per costed column: the same set of columns, nothing more; the interrupted one marked estimated.
    expect(first.ledger.map((l) => l.column_id)).toEqual(first.costed.map((c) => c.id));
    expect(first.ledger.filter((l) => l.column_id === seen.columns[2]!.id)).toEqual([{ column_id: seen.columns[2]!.id, cost_usd: cut.costUsd, estimated: 1 }]);
    expect(spend.rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'openai/gpt-4o-mini', runs: 3 }),
      expect.objectContaining({ key: 'openai/gpt-4o', runs: 1, usd: cut.costUsd }),
    ]));

    // Another start settles nothing more: the same ledger, the same total.
    const again = parseJsonOutput<{ totalUsd: number }>(await sb.run(spendArgs));
    expect(again.totalUsd).toBe(spend.totalUsd);
    expect(readLedger()).toEqual(first);
  });
});
