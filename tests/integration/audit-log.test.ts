/**
 * The audit log on a real SQLite file with the real engine and the loopback
 * mock providers: what each send records (the hash of the very bytes the mock
 * received, never the prompt or the key), refusals, provider and key changes,
 * and tampering with the file (edit, reorder, delete, truncate), each named by
 * seq; an older checkpoint stays consistent as the log grows; checkpoints
 * verify with openssl.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile } from '../../electron/store';
import { verifyStore, searchSent } from '../../electron/audit/read';
import { parseNote } from '../../electron/audit/note';
import { leafHash } from '../../electron/audit/merkle';
import { KEY_FILE } from '../../electron/audit/signer';
import { addProvider, ask, closeWorkbenches, openWorkbench, shareMockProviders, type Workbench } from './helpers';
import type { MockProviders } from '../mocks/provider-server';
import { UserError } from '../../electron/engine/errors';

let mock: MockProviders;
shareMockProviders((m) => (mock = m));
afterEach(closeWorkbenches);

const KEY = 'sk-audit-test-key-7777';
const SECRET = 'hunter2-sk-live-0042';

function entries(wb: Workbench, kind?: string): Array<Record<string, unknown> & { seq: number; kind: string }> {
  return wb.ctx.store.audit.all().filter((r) => !kind || r.kind === kind).map((r) => JSON.parse(r.entry) as Record<string, unknown> & { seq: number; kind: string });
}

async function withProviders(): Promise<Workbench> {
  mock.reset();
  const wb = openWorkbench({ env: { AUDIT_KEY: KEY } });
  for (const type of ['openai', 'anthropic', 'gemini'] as const) {
    await addProvider(wb, { id: `m-${type}`, type, baseUrl: mock.baseUrls[type], keyEnv: ['AUDIT_KEY'] });
  }
  return wb;
}

/** The file as an attacker with write access sees it: triggers dropped, raw SQL. */
function tamper(wb: Workbench, sql: (db: Database.Database) => void): void {
  const db = new Database(databaseFile(wb.dir));
  db.exec('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;');
  sql(db);
  db.close();
}

describe('audit log: what is recorded', () => {
  it('each send records the endpoint and the SHA-256 of exactly the bytes the mock received, and nothing of the prompt or key', async () => {
    const wb = await withProviders();
    const result = await wb.engine.compare(ask(['m-openai:gpt-a', 'm-anthropic:claude-a', 'm-gemini:gemini-a'], { messages: [{ role: 'user', content: `remember ${SECRET} please` }] }));
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    const sends = entries(wb, 'send');
    expect(sends).toHaveLength(3);
    const byModel = new Map(mock.requests.map((r) => [r.model, r]));
    for (const s of sends) {
      const ep = s.endpoint as { provider: string; protocol: string; host: string; model: string };
      const received = byModel.get(ep.model)!;
      expect(received, ep.model).toBeDefined();
      expect(s.requestSha256).toBe(received.bodySha256);
      expect(s.runId).toBe(result.runId);
      expect(ep.host).toBe(new URL(mock.url).host);
      expect(s.outcome).toBe('ok');
    }
    expect(new Set(sends.map((s) => (s.endpoint as { protocol: string }).protocol))).toEqual(new Set(['openai', 'anthropic', 'gemini']));
    // The search index of each send comes on a later turn, as an entry of its own.
    await wb.ctx.audit.settled();
    expect(entries(wb, 'sent-index').map((e) => e.sendSeq).sort()).toEqual(sends.map((s) => s.seq).sort());
    // Neither the prompt, nor the secret in it, nor the key is in any audit table.
    const dump = JSON.stringify(wb.ctx.store.db.prepare('SELECT * FROM audit_entries').all()) + JSON.stringify(wb.ctx.store.db.prepare('SELECT hex(salt), hex(hashes) FROM audit_sent').all());
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain('remember');
    expect(dump).not.toContain(KEY);
    // But the question "did it leave?" has an answer: yes, three times; a string never sent: no.
    expect(searchSent(wb.ctx.store, SECRET).hits.map((h) => h.runId)).toEqual([result.runId, result.runId, result.runId]);
    expect(searchSent(wb.ctx.store, 'sk-never-sent-1234').hits).toEqual([]);
    expect(searchSent(wb.ctx.store, `remember ${SECRET} please`).hits.every((h) => h.whole)).toBe(true);
  });

  it('a failover records both sends, each with its own outcome', async () => {
    const wb = await withProviders();
    mock.script('flaky', { fault: 'server_500' });
    const r = await wb.engine.compare(ask(['m-openai:flaky', 'm-openai:fine']));
    expect(r.columns[1]!.status).toBe('ok');
    const sends = entries(wb, 'send').filter((s) => (s.endpoint as { model: string }).model === 'flaky');
    expect(sends.length).toBeGreaterThanOrEqual(1);
    expect(sends.every((s) => s.outcome === 'error' && s.httpStatus === 500)).toBe(true);
    for (const s of sends) expect(mock.requests.some((q) => q.bodySha256 === s.requestSha256)).toBe(true);
  });

  it('refusals before sending are recorded with their rule: budget, unservable target, missing key', async () => {
    const wb = await withProviders();
    wb.ctx.store.spend.putBudget({ id: 'b1', scope: 'all', scopeValue: '', period: 'day', usd: 0, warnPct: 80, hard: true }, Date.now());
    // Unpriced endpoints cannot be refused by a budget: price one so the cap applies.
    wb.ctx.store.catalog.putOverride({ providerId: 'm-openai', upstreamModel: 'gpt-a', modelId: 'x/gpt-a', price: { inputPerM: 1, outputPerM: 1, cacheReadPerM: null, cacheWritePerM: null, reasoningPerM: null, tiers: [] } }, Date.now());
    wb.ctx.catalog.reloadOverrides();
    const before = mock.requests.length;
    let budgetRefused = false;
    try {
      await wb.engine.compare(ask(['m-openai:gpt-a']));
    } catch (err) {
      budgetRefused = err instanceof UserError && err.code === 'budget';
    }
    wb.ctx.store.db.prepare('DELETE FROM budgets').run();
    await expect(wb.engine.compare(ask(['nobody:model']))).rejects.toThrow(/unknown provider/);
    await addProvider(wb, { id: 'nokey', baseUrl: mock.baseUrls.openai, keyEnv: ['UNSET_AUDIT_KEY'] });
    await expect(wb.engine.compare(ask(['nokey:m']))).rejects.toThrow(/missing key/);
    expect(mock.requests.length).toBe(before);
    const refusals = entries(wb, 'refusal');
    const rules = refusals.map((r) => r.rule);
    expect(budgetRefused).toBe(true);
    expect(rules).toContain('budget');
    expect(rules).toContain('unservable');
    expect(rules).toContain('missing-key');
    expect(refusals.every((r) => r.stage === 'request')).toBe(true);
    expect(refusals.find((r) => r.rule === 'unservable')!.targets).toEqual(['nobody:model']);
  });

  it('provider add, change and remove, and keys set and removed, by reference only', async () => {
    mock.reset();
    const wb = openWorkbench({ env: { K1: KEY, K2: 'sk-other-key-9999' } });
    await addProvider(wb, { id: 'p', baseUrl: mock.baseUrls.openai, keyEnv: ['K1'] });
    await addProvider(wb, { id: 'p', baseUrl: mock.baseUrls.openai, keyEnv: ['K2'] });
    wb.ctx.providers.remove('p');
    const changes = entries(wb).filter((e) => e.kind === 'provider' || e.kind === 'key').map((e) => [e.kind, e.action, (e.ref as { name?: string } | undefined)?.name ?? null, e.changed ?? null]);
    expect(changes).toEqual([
      ['provider', 'add', null, []],
      ['key', 'set', 'K1', null],
      ['provider', 'change', null, ['keys']],
      ['key', 'set', 'K2', null],
      ['key', 'remove', 'K1', null],
      ['provider', 'remove', null, []],
      ['key', 'remove', 'K2', null],
    ]);
    expect(JSON.stringify(wb.ctx.store.audit.all())).not.toContain(KEY);
  });
});

describe('audit log: tamper evidence on the SQLite file', () => {
  /** A log of 9 entries (the provider changes of three providers and three sends) with a signed checkpoint. */
  async function signedLog(): Promise<Workbench> {
    const wb = await withProviders();
    await wb.engine.compare(ask(['m-openai:a', 'm-anthropic:b', 'm-gemini:c']));
    await wb.ctx.audit.settled();
    const cp = await wb.ctx.audit.checkpoint();
    expect(cp!.tree_size).toBe(wb.ctx.store.audit.count());
    expect(verifyStore(wb.ctx.store, wb.ctx.audit)).toMatchObject({ ok: true, problems: [] });
    return wb;
  }

  it('an intact log verifies, and the checkpoint signing key is a file readable only by the user', async () => {
    const wb = await signedLog();
    expect(statSync(join(wb.dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const report = verifyStore(wb.ctx.store, wb.ctx.audit);
    expect(report.entries).toBe(wb.ctx.store.audit.count());
    expect(entries(wb, 'audit-key')).toHaveLength(1);
  });

  it('the table refuses UPDATE and DELETE (append-only)', async () => {
    const wb = await signedLog();
    expect(() => wb.ctx.store.db.prepare("UPDATE audit_entries SET kind = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => wb.ctx.store.db.prepare('DELETE FROM audit_entries WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('an edited entry is named, whether or not its stored hash was recomputed', async () => {
    const wb = await signedLog();
    const send = entries(wb, 'send')[0]!.seq;
    tamper(wb, (db) => expect(db.prepare("UPDATE audit_entries SET entry = replace(entry, '\"outcome\":\"ok\"', '\"outcome\":\"error\"') WHERE seq = ?").run(send).changes).toBe(1));
    const edited = verifyStore(wb.ctx.store, wb.ctx.audit);
    expect(edited.problems[0]).toEqual({ seq: send, message: `seq ${send}: entry edited (its bytes no longer hash to the leaf recorded with it)` });
    // Now with the leaf hash fixed up too: the next entry's link still names it.
    const wb2 = await signedLog();
    const target = entries(wb2, 'send')[0]!.seq;
    tamper(wb2, (db) => {
      const row = db.prepare('SELECT entry FROM audit_entries WHERE seq = ?').get(target) as { entry: string };
      const edited = row.entry.replace(/"host":"[^"]+"/, '"host":"elsewhere.example"');
      expect(edited).not.toBe(row.entry);
      db.prepare('UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE seq = ?').run(edited, leafHash(Buffer.from(edited)), target);
    });
    const r = verifyStore(wb2.ctx.store, wb2.ctx.audit);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toEqual({ seq: target, message: `seq ${target}: entry changed after seq ${target + 1} was written (seq ${target + 1} links to a different entry)` });
  });

  it('two reordered entries are both named', async () => {
    const wb = await signedLog();
    tamper(wb, (db) => {
      const a = db.prepare('SELECT * FROM audit_entries WHERE seq = 2').get() as { entry: string; leaf_hash: Buffer; kind: string };
      const b = db.prepare('SELECT * FROM audit_entries WHERE seq = 6').get() as { entry: string; leaf_hash: Buffer; kind: string };
      const put = db.prepare('UPDATE audit_entries SET entry = ?, leaf_hash = ?, kind = ? WHERE seq = ?');
      put.run(b.entry, b.leaf_hash, b.kind, 2);
      put.run(a.entry, a.leaf_hash, a.kind, 6);
    });
    const msgs = verifyStore(wb.ctx.store, wb.ctx.audit).problems.map((p) => p.message);
    expect(msgs).toContain('seq 2 holds the entry written as seq 6: entries reordered or moved');
    expect(msgs).toContain('seq 6 holds the entry written as seq 2: entries reordered or moved');
  });

  it('a deleted entry is named', async () => {
    const wb = await signedLog();
    tamper(wb, (db) => db.prepare('DELETE FROM audit_entries WHERE seq = 3').run());
    const r = verifyStore(wb.ctx.store, wb.ctx.audit);
    expect(r.problems[0]).toEqual({ seq: 3, message: 'seq 3 missing: removed from the log' });
  });

  it('a truncated tail is named from the checkpoint that covered it, and no new checkpoint is signed over it', async () => {
    const wb = await signedLog();
    const n = wb.ctx.store.audit.count();
    tamper(wb, (db) => db.prepare('DELETE FROM audit_entries WHERE seq > ?').run(n - 2));
    const r = verifyStore(wb.ctx.store, wb.ctx.audit);
    expect(r.problems.map((p) => p.message)).toContain(`seq ${n - 1}–${n} missing: the log was truncated (a checkpoint covered ${n} entries, ${n - 2} remain)`);
    await expect(wb.ctx.audit.checkpoint()).rejects.toThrow(/latest checkpoint covers/);
  });

  it('checkpoints removed as well: the older checkpoint file held elsewhere still shows the truncation', async () => {
    const wb = await signedLog();
    const held = wb.ctx.store.audit.latestCheckpoint()!.note;
    const n = wb.ctx.store.audit.count();
    tamper(wb, (db) => {
      db.prepare('DELETE FROM audit_entries WHERE seq > ?').run(n - 1);
      db.prepare('DELETE FROM audit_checkpoints').run();
    });
    const r = verifyStore(wb.ctx.store, wb.ctx.audit, held);
    expect(r.problems.map((p) => p.message)).toContain(`seq ${n} missing: the log was truncated (the checkpoint file covers ${n} entries, ${n - 1} remain)`);
  });
});

describe('audit log: checkpoints', () => {
  it('a consistency proof from an older checkpoint holds after appends', async () => {
    const wb = await withProviders();
    const old = (await wb.ctx.audit.checkpoint())!;
    await wb.engine.compare(ask(['m-openai:a', 'm-gemini:b']));
    await wb.engine.compare(ask(['m-anthropic:c']));
    const r = verifyStore(wb.ctx.store, wb.ctx.audit, old.note);
    expect(r.ok).toBe(true);
    expect(r.external).toMatchObject({ size: old.tree_size, consistent: true });
    expect(r.size).toBeGreaterThan(old.tree_size);
    expect(r.external!.proof.length).toBeGreaterThan(0);
    // And an entry inside the old checkpoint changed afterwards (hash fixed, triggers dropped, stored checkpoints gone) breaks it.
    tamper(wb, (db) => {
      db.prepare('DELETE FROM audit_checkpoints').run();
      db.prepare('UPDATE audit_entries SET leaf_hash = zeroblob(32) WHERE seq = 1').run();
    });
    expect(verifyStore(wb.ctx.store, wb.ctx.audit, old.note).problems[0]!.seq).toBe(1);
  });

  it('checkpoints are C2SP signed notes that openssl verifies with the exported public key', async () => {
    const wb = await withProviders();
    const cp = (await wb.ctx.audit.checkpoint())!;
    const lines = cp.note.split('\n');
    expect(lines[0]).toBe(wb.ctx.audit.origin());
    expect(lines[1]).toBe(String(cp.tree_size));
    expect(Buffer.from(lines[2]!, 'base64')).toEqual(cp.root_hash);
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^\u2014 switchyard\.local\/audit\/[0-9a-f]{16} [A-Za-z0-9+/]+=*$/);
    const parsed = parseNote(cp.note)!;
    const key = wb.ctx.store.audit.keys()[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-openssl-'));
    try {
      const header = Buffer.from('302a300506032b6570032100', 'hex');
      writeFileSync(join(dir, 'pub.der'), Buffer.concat([header, key.public_key]));
      writeFileSync(join(dir, 'text'), parsed.text);
      writeFileSync(join(dir, 'sig'), parsed.signatures[0]!.signature);
      execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', join(dir, 'pub.der'), '-out', join(dir, 'pub.pem')]);
      const ok = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'text'), '-sigfile', join(dir, 'sig')]).toString();
      expect(ok).toMatch(/Signature Verified Successfully/);
      // One byte of the text changed: openssl refuses it.
      writeFileSync(join(dir, 'text'), parsed.text.replace(/\n(\d+)\n/, (_, n: string) => `\n${Number(n) + 1}\n`));
      expect(() => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'text'), '-sigfile', join(dir, 'sig')], { stdio: 'pipe' })).toThrow();
      expect(readFileSync(join(dir, 'pub.pem'), 'utf8')).toMatch(/BEGIN PUBLIC KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a checkpoint is written by itself every N entries', async () => {
    mock.reset();
    const wb = openWorkbench({ env: { AUDIT_KEY: KEY } });
    // Through the context's own log, with its signer: 256 appends make one.
    for (let i = 0; i < 256; i++) wb.ctx.audit.append({ kind: 'run-delete', runId: `r${i}` });
    await wb.ctx.audit.close();
    const cps = wb.ctx.store.audit.checkpoints();
    expect(cps.length).toBe(1);
    expect(cps[0]!.tree_size).toBeGreaterThanOrEqual(256);
    expect(verifyStore(wb.ctx.store, wb.ctx.audit).ok).toBe(true);
  });
});
