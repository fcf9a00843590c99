/**
 * The WAL checkpoint worker on a real SQLite file: it folds the WAL in from
 * its own thread, lets the WAL restart, cuts an oversized WAL back to nothing,
 * and says plainly when it cannot run so the caller checkpoints itself.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OffThreadCheckpointer } from '../../../electron/store/checkpointer';
import { openDatabase, type DB } from '../../../electron/store/db';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function walDatabase(): { db: DB; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-ckpt-'));
  const file = join(dir, 'switchyard.db');
  const db = openDatabase(file);
  db.exec('CREATE TABLE filler (body TEXT)');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => db.open && db.close());
  return { db, file };
}

/** About `kb` KB of pages in the WAL (autocheckpoint is off: nothing folds them in by itself). */
function write(db: DB, kb: number): void {
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < kb; i++) insert.run('x'.repeat(1000));
  })();
}

function framesInWal(db: DB): number {
  // PASSIVE from the main connection reports the WAL's frame count since its last restart.
  return (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;
}

describe('OffThreadCheckpointer', () => {
  it('checkpoints from its own thread, and the next write restarts the WAL from its start', async () => {
    const { db, file } = walDatabase();
    write(db, 2000);
    const ckpt = new OffThreadCheckpointer(file, { log: () => undefined });
    cleanups.push(() => ckpt.close());
    expect(ckpt.available).toBe(true);
    const r = await ckpt.request();
    expect(r).not.toBeNull();
    expect(r!.busy).toBe(0);
    expect(r!.log).toBeGreaterThan(400);
    expect(r!.checkpointed).toBe(r!.log);
    expect(r!.truncated).toBe(false);
    // Caught up: one small write starts the WAL over instead of appending to 2 MB of old frames.
    write(db, 1);
    expect(framesInWal(db)).toBeLessThan(10);
    expect(db.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: 2001 });
  });

  it('cuts a WAL that grew past the limit back to nothing', async () => {
    const { db, file } = walDatabase();
    write(db, 600);
    const before = statSync(`${file}-wal`).size;
    expect(before).toBeGreaterThan(512 * 1024);
    const ckpt = new OffThreadCheckpointer(file, { log: () => undefined, truncateAboveBytes: 512 * 1024 });
    cleanups.push(() => ckpt.close());
    const r = await ckpt.request();
    expect(r!.truncated).toBe(true);
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: 600 });
  });

  it('leaves a WAL under the limit at its size', async () => {
    const { db, file } = walDatabase();
    write(db, 300);
    const ckpt = new OffThreadCheckpointer(file, { log: () => undefined, truncateAboveBytes: 64 * 1024 * 1024 });
    cleanups.push(() => ckpt.close());
    const before = statSync(`${file}-wal`).size;
    expect((await ckpt.request())!.truncated).toBe(false);
    expect(statSync(`${file}-wal`).size).toBe(before);
  });

  it('runs one checkpoint at a time: a second request while one runs shares it', async () => {
    const { db, file } = walDatabase();
    write(db, 500);
    const ckpt = new OffThreadCheckpointer(file, { log: () => undefined });
    cleanups.push(() => ckpt.close());
    const a = ckpt.request();
    const b = ckpt.request();
    expect(b).toBe(a);
    expect((await a)!.checkpointed).toBeGreaterThan(0);
    // Settled: the next request is a new checkpoint (nothing new to fold in).
    const c = ckpt.request();
    expect(c).not.toBe(a);
    expect((await c)!.log).toBe((await a)!.log);
  });

  it('says it is unavailable without a worker file, or for an in-memory database', () => {
    const { file } = walDatabase();
    const missing = new OffThreadCheckpointer(file, { workerFile: join(tmpdir(), 'no-such-checkpoint-worker.mjs'), log: () => undefined });
    expect(missing.available).toBe(false);
    expect(missing.request()).toBeNull();
    const memory = new OffThreadCheckpointer(':memory:', { log: () => undefined });
    expect(memory.available).toBe(false);
    expect(memory.request()).toBeNull();
  });

  it('reports a worker that cannot open the database once, then stands aside', async () => {
    const logs: string[] = [];
    const ckpt = new OffThreadCheckpointer(join(tmpdir(), 'switchyard-no-such-dir', 'switchyard.db'), { log: (m) => logs.push(m) });
    cleanups.push(() => ckpt.close());
    expect(await ckpt.request()).toBeNull();
    expect(ckpt.available).toBe(false);
    expect(ckpt.request()).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/checkpoint worker unavailable/);
  });

  it('after close, asks nothing more of the worker', async () => {
    const { db, file } = walDatabase();
    write(db, 50);
    const ckpt = new OffThreadCheckpointer(file, { log: () => undefined });
    expect(await ckpt.request()).not.toBeNull();
    ckpt.close();
    expect(ckpt.request()).toBeNull();
  });
});
