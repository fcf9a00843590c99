/**
 * One test per migration, each on a fresh in-memory database migrated up to
 * exactly that version (Signal's test-node/sql pattern), plus the rules every
 * migration shares: one transaction per step bumping user_version by one,
 * versions only going up, and re-running being a no-op.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion, type DB } from '../../../electron/store/db';
import { migrations } from '../../../electron/store/migrations';

const open: DB[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A bare in-memory database at user_version 0, with the pragmas the app uses. */
function createDb(): DB {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}

/** A fresh database migrated to exactly `version`. */
function dbAt(version: number): DB {
  const db = createDb();
  expect(migrate(db, version)).toBe(version);
  return db;
}

/** Table and index names created by one migration (what sqlite_master gains from version-1 to version). */
function createdBy(version: number): { tables: string[]; indexes: string[] } {
  const names = (db: DB, type: string) =>
    new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'`).all(type) as Array<{ name: string }>).map((r) => r.name));
  const before = dbAt(version - 1);
  const after = dbAt(version);
  const diff = (type: string) => [...names(after, type)].filter((n) => !names(before, type).has(n)).sort();
  return { tables: diff('table'), indexes: diff('index') };
}

/** INSERT a row given as column -> value; table and column names come from the test itself. */
function insert(db: DB, table: string, row: Record<string, unknown>): void {
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

function read<T = Record<string, unknown>>(db: DB, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[];
}

const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z

describe('migrations', () => {
  it('every migration has its own test below, in order', () => {
    // Adding a migration without a test here fails this line: write its test, then add its name.
    expect(migrations.map((m) => m.name)).toEqual(['0001-core', '0002-routing', '0003-catalog', '0004-spend', '0005-provider-models', '0006-recovery-cost', '0007-column-plan', '0008-base-url-credentials', '0009-key-bindings', '0010-history-keyset', '0011-attachments', '0012-conversation-turns', '0013-run-labels', '0014-prompts', '0015-tool-calls', '0016-audit', '0017-index-after-run', '0018-turn-attachments']);
  });

  it('0001-core: providers, secrets, runs, columns, attempts and full-text search', () => {
    const created = createdBy(1);
    expect(created.tables).toEqual(expect.arrayContaining(['attempts', 'columns', 'providers', 'runs', 'runs_fts', 'secrets']));
    expect(created.indexes).toEqual(['attempts_column', 'attempts_endpoint', 'columns_run', 'runs_created']);

    const db = dbAt(1);
    insert(db, 'providers', { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1', keys_json: '[{"kind":"env","name":"OPENAI_API_KEY"}]', created_at: NOW, updated_at: NOW });
    insert(db, 'secrets', { id: 'key:openai', ciphertext: Buffer.from([1, 2, 3]), backend: 'test', last4: 'abcd', created_at: NOW });
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'running', request_json: '{}', prompt_preview: 'hello', pid: 4242 });
    insert(db, 'columns', { id: 'c1', run_id: 'r1', idx: 0, target: 'openai:gpt-4o-mini', status: 'running', text: 'partial', updated_at: NOW });
    insert(db, 'attempts', { column_id: 'c1', seq: 0, endpoint_id: 'openai:gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini', status: 'running', started_at: NOW });
    insert(db, 'runs_fts', { run_id: 'r1', prompt: 'why is the sky blue', answers: 'rayleigh scattering', targets: 'openai:gpt-4o-mini' });

    expect(read(db, 'SELECT base_url, serves_json FROM providers')).toEqual([{ base_url: 'https://api.openai.com/v1', serves_json: '[]' }]);
    expect(read(db, 'SELECT last4, length(ciphertext) AS n FROM secrets')).toEqual([{ last4: 'abcd', n: 3 }]);
    expect(read(db, 'SELECT text, fell_back, usage_estimated FROM columns')).toEqual([{ text: 'partial', fell_back: 0, usage_estimated: 0 }]);
    expect(read(db, 'SELECT id, seq, status FROM attempts')).toEqual([{ id: 1, seq: 0, status: 'running' }]);
    expect(read(db, `SELECT run_id FROM runs_fts WHERE runs_fts MATCH '"rayleigh"'`)).toEqual([{ run_id: 'r1' }]);
    // The run status is a closed set, and a column needs its run.
    expect(() => insert(db, 'runs', { id: 'r2', created_at: NOW, status: 'bogus', request_json: '{}', prompt_preview: '' })).toThrow(/CHECK constraint/);
    expect(() => insert(db, 'columns', { id: 'c2', run_id: 'nope', idx: 0, target: 't', status: 'queued', updated_at: NOW })).toThrow(/FOREIGN KEY/);
    // Deleting a run takes its columns and attempts with it.
    db.prepare('DELETE FROM runs WHERE id = ?').run('r1');
    expect(read(db, 'SELECT (SELECT COUNT(*) FROM columns) AS c, (SELECT COUNT(*) FROM attempts) AS a')).toEqual([{ c: 0, a: 0 }]);
  });

  it('0002-routing: breakers, misconfigured endpoints, model sets and settings', () => {
    expect(createdBy(2)).toEqual({ tables: ['breakers', 'misconfigured', 'model_sets', 'settings'], indexes: [] });

    const db = dbAt(2);
    insert(db, 'breakers', { breaker_key: 'openai|env:OPENAI_API_KEY|gpt-4o-mini', state: 'open', failures: 5, opened_at: NOW, updated_at: NOW, last_error: '503' });
    insert(db, 'misconfigured', { endpoint_id: 'openai:gpt-5', message: '404 model not found', at: NOW });
    insert(db, 'model_sets', { name: 'cheap', targets_json: '["openai/gpt-4o-mini"]', updated_at: NOW });
    insert(db, 'settings', { key: 'theme', value: '"dark"' });

    expect(read(db, 'SELECT state, failures FROM breakers')).toEqual([{ state: 'open', failures: 5 }]);
    expect(read(db, 'SELECT message FROM misconfigured')).toEqual([{ message: '404 model not found' }]);
    expect(read(db, 'SELECT targets_json FROM model_sets')).toEqual([{ targets_json: '["openai/gpt-4o-mini"]' }]);
    expect(read(db, 'SELECT value FROM settings WHERE key = ?', 'theme')).toEqual([{ value: '"dark"' }]);
    expect(() => insert(db, 'breakers', { breaker_key: 'k2', state: 'ajar', updated_at: NOW })).toThrow(/CHECK constraint/);
    expect(() => insert(db, 'settings', { key: 'theme', value: '"light"' })).toThrow(/UNIQUE constraint/);
  });

  it('0003-catalog: price overrides keyed by provider and upstream model', () => {
    const created = createdBy(3);
    expect(created.tables).toEqual(['catalog_overrides']);

    const db = dbAt(3);
    const price = JSON.stringify({ inputPerM: 1, outputPerM: 2 });
    insert(db, 'catalog_overrides', { provider_id: 'openai', upstream_model: 'gpt-4o-mini', model_id: 'openai/gpt-4o-mini', price_json: price, updated_at: NOW });
    insert(db, 'catalog_overrides', { provider_id: 'my-vllm', upstream_model: 'llama', model_id: null, price_json: price, updated_at: NOW });

    expect(read(db, 'SELECT provider_id, model_id FROM catalog_overrides ORDER BY provider_id')).toEqual([
      { provider_id: 'my-vllm', model_id: null },
      { provider_id: 'openai', model_id: 'openai/gpt-4o-mini' },
    ]);
    expect(() => insert(db, 'catalog_overrides', { provider_id: 'openai', upstream_model: 'gpt-4o-mini', price_json: price, updated_at: NOW })).toThrow(/UNIQUE constraint/);
  });

  it('0004-spend: budgets (one per scope and period) and a ledger with one row per column', () => {
    expect(createdBy(4)).toEqual({ tables: ['budgets', 'spend_ledger'], indexes: ['budgets_scope', 'spend_at', 'spend_provider'] });

    const db = dbAt(4);
    insert(db, 'budgets', { id: 'b1', scope: 'all', period: 'day', usd: 5, created_at: NOW });
    insert(db, 'spend_ledger', { column_id: 'c1', run_id: 'r1', at: NOW, provider: 'openai', model: 'gpt-4o-mini', model_id: 'openai/gpt-4o-mini', input_tokens: 10, output_tokens: 20, cost_usd: 0.0000135 });

    expect(read(db, 'SELECT scope_value, warn_pct, hard FROM budgets')).toEqual([{ scope_value: '', warn_pct: 80, hard: 1 }]);
    expect(read(db, 'SELECT SUM(cost_usd) AS usd, key_ref FROM spend_ledger')).toEqual([{ usd: 0.0000135, key_ref: '' }]);
    expect(() => insert(db, 'budgets', { id: 'b2', scope: 'all', period: 'day', usd: 9, created_at: NOW })).toThrow(/UNIQUE constraint/);
    expect(() => insert(db, 'budgets', { id: 'b3', scope: 'all', period: 'week', usd: -1, created_at: NOW })).toThrow(/CHECK constraint/);
    expect(() => insert(db, 'budgets', { id: 'b4', scope: 'team', period: 'week', usd: 1, created_at: NOW })).toThrow(/CHECK constraint/);
    // The column id is the key: a second entry for the same column cannot count twice.
    expect(() => insert(db, 'spend_ledger', { column_id: 'c1', run_id: 'r1', at: NOW, provider: 'openai', model: 'gpt-4o-mini', cost_usd: 1 })).toThrow(/UNIQUE constraint/);
  });
});

describe('migrations, continued', () => {
  it('0005-provider-models: one row per provider and model, gone with the provider', () => {
    expect(createdBy(5)).toEqual({ tables: ['provider_models'], indexes: [] });

    const db = dbAt(5);
    insert(db, 'providers', { id: 'local', type: 'openai', base_url: 'http://127.0.0.1:11434/v1', created_at: NOW, updated_at: NOW });
    insert(db, 'provider_models', { provider_id: 'local', model: 'llama3:8b', listed_at: NOW });
    insert(db, 'provider_models', { provider_id: 'local', model: 'qwen2:7b', listed_at: NOW });
    expect(read(db, 'SELECT model FROM provider_models ORDER BY model')).toEqual([{ model: 'llama3:8b' }, { model: 'qwen2:7b' }]);
    expect(() => insert(db, 'provider_models', { provider_id: 'local', model: 'llama3:8b', listed_at: NOW })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    // Only for providers that exist, and removed with them.
    expect(() => insert(db, 'provider_models', { provider_id: 'ghost', model: 'x', listed_at: NOW })).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM providers WHERE id = ?').run('local');
    expect(read(db, 'SELECT COUNT(*) AS n FROM provider_models')).toEqual([{ n: 0 }]);
  });

  it('0006-recovery-cost: each attempt keeps its price; interrupted columns still to bill are found by index', () => {
    expect(createdBy(6)).toEqual({ tables: [], indexes: ['columns_unsettled'] });

    const db = dbAt(6);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'interrupted', request_json: '{}', prompt_preview: '' });
    const column = (id: string, over: Record<string, unknown>) => insert(db, 'columns', { id, run_id: 'r1', idx: 0, target: 't', status: 'interrupted', updated_at: NOW, ...over });
    column('billable', { text: 'partial' });
    column('thinking', { reasoning: 'hmm' });
    column('empty', {});
    column('settled', { text: 'partial', output_tokens: 2 });
    column('finished', { text: 'done', status: 'ok' });
    insert(db, 'attempts', { column_id: 'billable', seq: 0, endpoint_id: 'p:m', provider: 'p', model: 'm', status: 'interrupted', started_at: NOW, price_json: '{"inputPerM":1,"outputPerM":2}' });
    expect(read(db, 'SELECT price_json FROM attempts')).toEqual([{ price_json: '{"inputPerM":1,"outputPerM":2}' }]);

    const where = `status = 'interrupted' AND output_tokens IS NULL AND (text <> '' OR reasoning <> '')`;
    expect(read(db, `SELECT id FROM columns WHERE ${where} ORDER BY id`)).toEqual([{ id: 'billable' }, { id: 'thinking' }]);
    // The start-up query reads the index, not every column's text.
    const plan = read<{ detail: string }>(db, `EXPLAIN QUERY PLAN SELECT id, text FROM columns WHERE ${where}`).map((r) => r.detail).join('; ');
    expect(plan).toMatch(/USING (COVERING )?INDEX columns_unsettled/);
  });

  it('0007-column-plan: a column keeps its plan and whether it was re-planned; earlier rows read as no plan', () => {
    expect(createdBy(7)).toEqual({ tables: [], indexes: [] });
    const db = dbAt(6);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null });
    insert(db, 'columns', { id: 'old', run_id: 'r1', idx: 0, target: 'acme/m', status: 'ok', updated_at: NOW });
    expect(migrate(db, 7)).toBe(7);
    expect(read(db, 'SELECT plan_json, replanned FROM columns WHERE id = ?', 'old')).toEqual([{ plan_json: null, replanned: 0 }]);
    const plan = JSON.stringify({ id: 'abc', primary: { provider: 'east', model: 'acme/m', upstream: 'm' }, fallbacks: [] });
    insert(db, 'columns', { id: 'new', run_id: 'r1', idx: 1, target: 'acme/m', status: 'ok', updated_at: NOW, plan_json: plan, replanned: 1 });
    expect(read(db, 'SELECT plan_json, replanned FROM columns WHERE id = ?', 'new')).toEqual([{ plan_json: plan, replanned: 1 }]);
  });

  it('0008-base-url-credentials: a base URL saved with user:password@ loses them, bytes included; others are untouched', () => {
    expect(createdBy(8)).toEqual({ tables: [], indexes: [] });
    const dir = mkdtempSync(join(tmpdir(), 'sy-mig8-'));
    dirs.push(dir);
    const file = join(dir, 'switchyard.db');
    const db = new Database(file);
    open.push(db);
    expect(migrate(db, 7)).toBe(7);
    const urls = {
      creds: 'http://leaker:Mig8Passw0rd@127.0.0.1:9/v1',
      user: 'https://someone@proxy.example/v1',
      plain: 'https://api.openai.com/v1',
      query: 'http://127.0.0.1:8000/v1?owner=a@b.c',
    };
    for (const [id, url] of Object.entries(urls)) insert(db, 'providers', { id, type: 'openai', base_url: url, created_at: NOW, updated_at: NOW });
    expect(migrate(db, 8)).toBe(8);
    expect(Object.fromEntries(read<{ id: string; base_url: string }>(db, 'SELECT id, base_url FROM providers').map((r) => [r.id, r.base_url]))).toEqual({
      creds: 'http://127.0.0.1:9/v1',
      user: 'https://proxy.example/v1',
      plain: 'https://api.openai.com/v1',
      query: 'http://127.0.0.1:8000/v1?owner=a@b.c',
    });
    db.close();
    expect(readFileSync(file).includes('Mig8Passw0rd')).toBe(false);
  });

  it('0009-key-bindings: the hosts each key reference may go to, seeded from the providers already configured', () => {
    expect(createdBy(9)).toEqual({ tables: ['key_bindings'], indexes: [] });

    // Providers of an older build: each key is bound to the host it was configured with; a row that cannot load binds nothing.
    const db = dbAt(8);
    insert(db, 'providers', { id: 'openai', type: 'openai', base_url: 'https://API.openai.com:443/v1', keys_json: '[{"kind":"env","name":"OPENAI_API_KEY"}]', created_at: NOW, updated_at: NOW });
    insert(db, 'providers', { id: 'proxy', type: 'openai', base_url: 'http://10.0.0.5:8080/v1', keys_json: '[{"kind":"env","name":"OPENAI_API_KEY"},{"kind":"secret","id":"key:proxy","last4":"abcd"}]', created_at: NOW + 1, updated_at: NOW });
    insert(db, 'providers', { id: 'broken', type: 'openai', base_url: 'not a url', keys_json: '[{"kind":"env","name":"BROKEN_KEY"}]', created_at: NOW, updated_at: NOW });
    insert(db, 'providers', { id: 'odd', type: 'openai', base_url: 'https://odd.example', keys_json: '{"kind":"env"}', created_at: NOW, updated_at: NOW });
    expect(migrate(db, 9)).toBe(9);
    expect(read(db, 'SELECT ref, origin, bound_at FROM key_bindings ORDER BY ref, bound_at')).toEqual([
      { ref: 'env:OPENAI_API_KEY', origin: 'https://api.openai.com', bound_at: NOW },
      { ref: 'env:OPENAI_API_KEY', origin: 'http://10.0.0.5:8080', bound_at: NOW + 1 },
      { ref: 'secret:key:proxy', origin: 'http://10.0.0.5:8080', bound_at: NOW + 1 },
    ]);

    // One row per reference and host; not tied to a provider row, so removing the provider does not forget them.
    expect(() => insert(db, 'key_bindings', { ref: 'env:OPENAI_API_KEY', origin: 'https://api.openai.com', bound_at: NOW })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    expect(() => insert(db, 'key_bindings', { ref: 'env:X_KEY', bound_at: NOW })).toThrow(/NOT NULL/);
    db.prepare('DELETE FROM providers').run();
    expect(read(db, 'SELECT COUNT(*) AS n FROM key_bindings')).toEqual([{ n: 3 }]);
  });
});

describe('migrations, history at scale', () => {
  it('0010-history-keyset: runs get an order key (date, then insertion), the full-text index is keyed by it, recovery gets an index', () => {
    expect(createdBy(10)).toEqual({ tables: [], indexes: ['runs_running', 'runs_seq'] });

    const db = dbAt(9);
    // Written out of date order, two in one millisecond, and one index row whose run is gone.
    const runs = [['late', NOW + 2000], ['early', NOW], ['same-ms-1', NOW + 1000], ['same-ms-2', NOW + 1000]] as const;
    for (const [id, at] of runs) {
      insert(db, 'runs', { id, created_at: at, status: 'done', request_json: '{}', prompt_preview: id, pid: 1 });
      insert(db, 'runs_fts', { run_id: id, prompt: `prompt of ${id}`, answers: id === 'early' ? 'rayleigh scattering' : 'other', targets: 'a:b' });
    }
    insert(db, 'runs_fts', { run_id: 'orphan', prompt: 'orphan', answers: 'rayleigh', targets: '' });
    expect(migrate(db, 10)).toBe(10);

    expect(read(db, 'SELECT id, seq FROM runs ORDER BY seq DESC')).toEqual([
      { id: 'late', seq: (NOW + 2000) * 1024 },
      { id: 'same-ms-2', seq: (NOW + 1000) * 1024 + 1 },
      { id: 'same-ms-1', seq: (NOW + 1000) * 1024 },
      { id: 'early', seq: NOW * 1024 },
    ]);
    // The index row of each run now has the run's seq as its rowid; the orphan is gone; MATCH works as before.
    expect(read(db, 'SELECT f.rowid = r.seq AS keyed, f.run_id FROM runs_fts f JOIN runs r ON r.id = f.run_id ORDER BY f.rowid DESC')).toEqual(
      ['late', 'same-ms-2', 'same-ms-1', 'early'].map((run_id) => ({ keyed: 1, run_id })),
    );
    expect(read(db, `SELECT run_id FROM runs_fts WHERE runs_fts MATCH '"rayleigh"'`)).toEqual([{ run_id: 'early' }]);
    // Short prefixes are answered from their own indexes (1 to 3 characters), in the same order.
    expect(read(db, `SELECT sql FROM sqlite_master WHERE name = 'runs_fts'`)).toEqual([{ sql: expect.stringContaining(`prefix = '1 2 3'`) }]);
    expect(read(db, `SELECT run_id FROM runs_fts WHERE runs_fts MATCH '"s"*' ORDER BY rowid DESC`)).toEqual([{ run_id: 'same-ms-2' }, { run_id: 'same-ms-1' }, { run_id: 'early' }]);
    expect(() => db.prepare('UPDATE runs SET seq = ? WHERE id = ?').run(NOW * 1024, 'late')).toThrow(/UNIQUE constraint/);
  });
});

describe('migrations, attachments', () => {
  it('0011-attachments: bytes stored once per sha256; the runs that sent them, gone with each run', () => {
    expect(createdBy(11)).toEqual({ tables: ['attachments', 'run_attachments'], indexes: ['run_attachments_hash'] });
    const db = dbAt(11);
    const hash = 'ab'.repeat(32);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    insert(db, 'attachments', { hash, mime: 'image/png', name: 'dot.png', size: bytes.length, width: 1, height: 1, pages: null, bytes, created_at: NOW });
    expect(() => insert(db, 'attachments', { hash, mime: 'image/png', name: 'again.png', size: 8, bytes, created_at: NOW })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    expect(() => insert(db, 'attachments', { hash: 'cd'.repeat(32), mime: 'image/png', name: 'x.png', size: 1, created_at: NOW })).toThrow(/NOT NULL/);
    // The blob comes back byte for byte.
    expect(read<{ bytes: Buffer }>(db, 'SELECT bytes FROM attachments WHERE hash = ?', hash)[0]!.bytes.equals(bytes)).toBe(true);

    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi' });
    insert(db, 'runs', { id: 'r2', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi' });
    insert(db, 'run_attachments', { run_id: 'r1', hash });
    insert(db, 'run_attachments', { run_id: 'r2', hash });
    expect(() => insert(db, 'run_attachments', { run_id: 'r1', hash })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    expect(() => insert(db, 'run_attachments', { run_id: 'r1', hash: 'ef'.repeat(32) })).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(read(db, 'SELECT run_id FROM run_attachments')).toEqual([{ run_id: 'r2' }]);
    expect(read(db, 'SELECT COUNT(*) AS n FROM attachments')).toEqual([{ n: 1 }]);
  });
});

describe('migrations, conversations', () => {
  it('0012-conversation-turns: earlier columns are turn 0; a follow-up turn is a row of its own; follow-up prompts go with their run', () => {
    expect(createdBy(12)).toEqual({ tables: ['run_turns'], indexes: ['columns_run_turn'] });
    const db = dbAt(11);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null });
    insert(db, 'columns', { id: 'old', run_id: 'r1', idx: 0, target: 'acme/m', status: 'ok', updated_at: NOW, input_tokens: 10 });
    expect(migrate(db, 12)).toBe(12);
    expect(read(db, 'SELECT turn, cache_write_tokens, cache_write_fallback FROM columns WHERE id = ?', 'old')).toEqual([{ turn: 0, cache_write_tokens: null, cache_write_fallback: 0 }]);

    insert(db, 'columns', { id: 'next', run_id: 'r1', idx: 0, turn: 1, target: 'acme/m', status: 'ok', updated_at: NOW, cache_write_tokens: 7, cache_write_fallback: 1 });
    insert(db, 'run_turns', { run_id: 'r1', turn: 1, prompt: 'and then?', created_at: NOW });
    expect(read(db, 'SELECT id, turn, cache_write_tokens FROM columns WHERE run_id = ? AND idx = 0 ORDER BY turn', 'r1')).toEqual([
      { id: 'old', turn: 0, cache_write_tokens: null },
      { id: 'next', turn: 1, cache_write_tokens: 7 },
    ]);
    // Turn 0's prompt is the run's request: it has no row here, and a turn is recorded once.
    expect(() => insert(db, 'run_turns', { run_id: 'r1', turn: 0, prompt: 'x', created_at: NOW })).toThrow(/CHECK constraint/);
    expect(() => insert(db, 'run_turns', { run_id: 'r1', turn: 1, prompt: 'again', created_at: NOW })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    db.prepare('DELETE FROM runs WHERE id = ?').run('r1');
    expect(read(db, 'SELECT COUNT(*) AS n FROM run_turns')).toEqual([{ n: 0 }]);
  });

});

describe('migrations, labels', () => {
  it('0013-run-labels: source, note, tags and filter facets; old runs are filed by their columns, forks by their request', () => {
    expect(createdBy(13)).toEqual({ tables: ['run_facets', 'run_tags'], indexes: ['run_facets_seq', 'run_tags_tag', 'runs_source'] });
    const db = dbAt(12);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null, seq: 1024 });
    insert(db, 'runs', { id: 'r2', created_at: NOW + 1, status: 'done', request_json: '{"forkedFrom":{"runId":"r1","index":0}}', prompt_preview: 'fork', pid: null, seq: 2048 });
    insert(db, 'columns', { id: 'a', run_id: 'r1', idx: 0, target: 'OpenAI:GPT-4o', status: 'error', served_provider: 'openai', served_model: 'gpt-4o', updated_at: NOW });
    // A follow-up answered where turn 0 failed: the run is filed by the latest turn's status.
    insert(db, 'columns', { id: 'b', run_id: 'r1', idx: 0, turn: 1, target: 'OpenAI:GPT-4o', status: 'ok', updated_at: NOW });
    insert(db, 'columns', { id: 'c', run_id: 'r1', idx: 1, target: 'g:m', status: 'cancelled', updated_at: NOW });
    insert(db, 'columns', { id: 'd', run_id: 'r2', idx: 0, target: 'g:m', status: 'ok', updated_at: NOW });
    expect(migrate(db, 13)).toBe(13);
    expect(read(db, 'SELECT id, source, note FROM runs ORDER BY id')).toEqual([{ id: 'r1', source: null, note: null }, { id: 'r2', source: 'fork', note: null }]);
    expect(read(db, 'SELECT kind, value, seq FROM run_facets ORDER BY seq, kind, value')).toEqual([
      { kind: 'model', value: 'g:m', seq: 1024 }, { kind: 'model', value: 'gpt-4o', seq: 1024 }, { kind: 'model', value: 'openai:gpt-4o', seq: 1024 },
      { kind: 'provider', value: 'openai', seq: 1024 }, { kind: 'status', value: 'stopped', seq: 1024 },
      { kind: 'model', value: 'g:m', seq: 2048 }, { kind: 'status', value: 'ok', seq: 2048 },
    ]);
    insert(db, 'run_tags', { run_id: 'r1', tag: 'Baseline', tag_key: 'baseline', seq: 1024 });
    expect(() => insert(db, 'run_tags', { run_id: 'r1', tag: 'BASELINE', tag_key: 'baseline', seq: 1024 })).toThrow(/UNIQUE|PRIMARY KEY/);
    db.prepare('DELETE FROM runs WHERE id = ?').run('r1');
    expect(read(db, 'SELECT COUNT(*) AS n FROM run_tags')).toEqual([{ n: 0 }]);
    expect(read(db, 'SELECT COUNT(*) AS n FROM run_facets WHERE seq = 1024')).toEqual([{ n: 0 }]);
  });

});

describe('migrations, prompt library', () => {
  it('0014-prompts: a name is unique within its kind, kinds are prompt or system, last use starts unset', () => {
    expect(createdBy(14)).toEqual({ tables: ['prompts'], indexes: [] });
    const db = dbAt(14);
    insert(db, 'prompts', { id: 'p1', name: 'review', kind: 'prompt', body: 'Review {{ code }}', created_at: NOW, updated_at: NOW });
    // The same name as a system prompt is another entry.
    insert(db, 'prompts', { id: 'p2', name: 'review', kind: 'system', body: 'You review code.', created_at: NOW, updated_at: NOW });
    expect(() => insert(db, 'prompts', { id: 'p3', name: 'review', kind: 'prompt', body: 'again', created_at: NOW, updated_at: NOW })).toThrow(/UNIQUE constraint/);
    expect(() => insert(db, 'prompts', { id: 'p4', name: 'x', kind: 'user', body: 'b', created_at: NOW, updated_at: NOW })).toThrow(/CHECK constraint/);
    expect(() => insert(db, 'prompts', { id: 'p5', name: 'y', kind: 'prompt', created_at: NOW, updated_at: NOW })).toThrow(/NOT NULL/);
    expect(read(db, 'SELECT id, kind, last_used_at FROM prompts ORDER BY id')).toEqual([
      { id: 'p1', kind: 'prompt', last_used_at: null },
      { id: 'p2', kind: 'system', last_used_at: null },
    ]);
  });
});

describe('migrations, tools', () => {
  it('0015-tool-calls: earlier columns have no tool calls, check or results; a turn keeps all three', () => {
    expect(createdBy(15)).toEqual({ tables: [], indexes: [] });
    const db = dbAt(14);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null });
    insert(db, 'columns', { id: 'old', run_id: 'r1', idx: 0, target: 'acme/m', status: 'ok', updated_at: NOW });
    expect(migrate(db, 15)).toBe(15);
    expect(read(db, 'SELECT tool_calls_json, structured_json, tool_results_json FROM columns WHERE id = ?', 'old')).toEqual([{ tool_calls_json: null, structured_json: null, tool_results_json: null }]);
    const calls = JSON.stringify([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', parsed: { city: 'Paris' } }]);
    insert(db, 'columns', { id: 'next', run_id: 'r1', idx: 0, turn: 1, target: 'acme/m', status: 'ok', updated_at: NOW, tool_calls_json: calls, structured_json: '{"valid":false,"errors":["x"]}', tool_results_json: '[]' });
    expect(read(db, 'SELECT tool_calls_json AS c, structured_json AS s FROM columns WHERE id = ?', 'next')).toEqual([{ c: calls, s: '{"valid":false,"errors":["x"]}' }]);
  });
});

describe('migrations, audit log', () => {
  it('0016-audit: entries are append-only (UPDATE and DELETE refused), seq is the key; checkpoints, sent-index rows and keys have tables of their own', () => {
    expect(createdBy(16)).toEqual({
      tables: ['audit_checkpoints', 'audit_entries', 'audit_keys', 'audit_sent'],
      indexes: ['audit_checkpoints_size', 'audit_entries_created', 'audit_entries_kind'],
    });
    const db = dbAt(16);
    const leaf = Buffer.alloc(32, 1);
    insert(db, 'audit_entries', { seq: 1, created_at: NOW, kind: 'send', entry: '{}', leaf_hash: leaf });
    insert(db, 'audit_entries', { seq: 2, created_at: NOW, kind: 'refusal', entry: '{}', leaf_hash: leaf });
    expect(() => insert(db, 'audit_entries', { seq: 2, created_at: NOW, kind: 'x', entry: '{}', leaf_hash: leaf })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
    expect(() => insert(db, 'audit_entries', { seq: 3, created_at: NOW, kind: 'x', entry: '{}' })).toThrow(/NOT NULL/);
    expect(() => db.prepare("UPDATE audit_entries SET entry = '{\"x\":1}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_entries WHERE seq = 2').run()).toThrow(/append-only/);
    expect(read(db, 'SELECT seq, kind FROM audit_entries ORDER BY seq')).toEqual([{ seq: 1, kind: 'send' }, { seq: 2, kind: 'refusal' }]);
    insert(db, 'audit_checkpoints', { tree_size: 2, root_hash: leaf, note: 'n', key_name: 'k', key_hash: '00000000', frontier: leaf, created_at: NOW });
    expect(() => insert(db, 'audit_checkpoints', { tree_size: -1, root_hash: leaf, note: 'n', key_name: 'k', key_hash: '0', frontier: leaf, created_at: NOW })).toThrow(/CHECK constraint/);
    insert(db, 'audit_sent', { seq: 1, salt: Buffer.alloc(16), hashes: Buffer.alloc(8) });
    insert(db, 'audit_keys', { key_hash: 'abcd1234', name: 'k', public_key: Buffer.alloc(32), backend: 'file', created_at: NOW });
    expect(() => insert(db, 'audit_keys', { key_hash: 'abcd1234', name: 'k', public_key: Buffer.alloc(32), backend: 'file', created_at: NOW })).toThrow(/UNIQUE constraint|PRIMARY KEY/);
  });
});

describe('migrations, the index after the run', () => {
  it('0017-index-after-run: runs from before are indexed already; a marked run is found by its own index', () => {
    expect(createdBy(17)).toEqual({ tables: [], indexes: ['runs_index_pending'] });
    const db = dbAt(16);
    insert(db, 'runs', { id: 'old', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null, seq: 1 });
    expect(migrate(db, 17)).toBe(17);
    expect(read(db, 'SELECT id, index_pending FROM runs')).toEqual([{ id: 'old', index_pending: 0 }]);
    insert(db, 'runs', { id: 'new', created_at: NOW + 1, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null, seq: 2, index_pending: 1 });
    expect(read(db, 'SELECT id FROM runs WHERE index_pending = 1 ORDER BY seq')).toEqual([{ id: 'new' }]);
    expect(read(db, 'EXPLAIN QUERY PLAN SELECT id FROM runs WHERE index_pending = 1 ORDER BY seq')).toEqual([expect.objectContaining({ detail: 'SCAN runs USING INDEX runs_index_pending' })]);
  });
});

describe('migrations, follow-up attachments', () => {
  it("0018-turn-attachments: a follow-up turn keeps its prompt's attachment references; earlier turns have none", () => {
    expect(createdBy(18)).toEqual({ tables: [], indexes: [] });
    const db = dbAt(17);
    insert(db, 'runs', { id: 'r1', created_at: NOW, status: 'done', request_json: '{}', prompt_preview: 'hi', pid: null });
    insert(db, 'run_turns', { run_id: 'r1', turn: 1, prompt: 'before', created_at: NOW });
    expect(migrate(db, 18)).toBe(18);
    const refs = JSON.stringify([{ hash: 'a'.repeat(64), mime: 'image/png', name: 'dot.png', size: 67 }]);
    insert(db, 'run_turns', { run_id: 'r1', turn: 2, prompt: 'with a file', created_at: NOW, attachments_json: refs });
    expect(read(db, 'SELECT turn, attachments_json FROM run_turns ORDER BY turn')).toEqual([
      { turn: 1, attachments_json: null },
      { turn: 2, attachments_json: refs },
    ]);
    db.prepare('DELETE FROM runs WHERE id = ?').run('r1');
    expect(read(db, 'SELECT COUNT(*) AS n FROM run_turns')).toEqual([{ n: 0 }]);
  });
});

describe('migrate', () => {
  it('applies each migration as one step that bumps user_version by exactly one', () => {
    const db = createDb();
    expect(schemaVersion(db)).toBe(0);
    for (let v = 1; v <= migrations.length; v++) {
      expect(migrate(db, v)).toBe(v);
      expect(schemaVersion(db)).toBe(v);
    }
  });

  it('rolls a failing migration back whole: no half-made schema, version unchanged', () => {
    const db = dbAt(1);
    // 0002 creates breakers first and settings last: a clash on settings must undo breakers too.
    db.exec('CREATE TABLE settings (key TEXT)');
    expect(() => migrate(db)).toThrow(/settings already exists/);
    expect(schemaVersion(db)).toBe(1);
    expect(read(db, `SELECT name FROM sqlite_master WHERE name = 'breakers'`)).toEqual([]);
  });

  it('is a no-op when run again, and never goes down', () => {
    const db = dbAt(migrations.length);
    const schema = () => read(db, 'SELECT type, name, sql FROM sqlite_master ORDER BY name');
    const before = schema();
    expect(migrate(db)).toBe(migrations.length);
    expect(migrate(db, 1)).toBe(migrations.length);
    expect(schema()).toEqual(before);
  });

  it('refuses a database written by a newer build, with a clear message', () => {
    const db = dbAt(migrations.length);
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db)).toThrow(`database schema v${migrations.length + 1} is newer than this build knows (v${migrations.length}); update Switchyard`);

    // And openDatabase, the way every process opens its file, refuses it too (leaving it untouched).
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-mig-'));
    dirs.push(dir);
    const file = join(dir, 'switchyard.db');
    const future = new Database(file);
    future.pragma('user_version = 999');
    future.close();
    expect(() => openDatabase(file)).toThrow(/schema v999 is newer than this build knows/);
    const check = new Database(file, { readonly: true });
    open.push(check);
    expect(schemaVersion(check)).toBe(999);
  });
});
