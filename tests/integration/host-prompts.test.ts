/**
 * The prompt library's calls over the headless host's real HTTP, on a real
 * SQLite file: saved, listed, refused in one line when a name is taken (unless
 * replaced) or an argument is out of bounds, and deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startHost, type Host } from '../../electron/host/server';
import type { SavedPrompt } from '../../shared/contract';

let host: Host;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-host-prompts-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Switchyard</title>');
  host = await startHost({ dataDir: join(dir, 'data'), port: 0, rendererDir: ui, env: {} });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rpc<T = unknown>(channel: string, body: unknown): Promise<{ status: number; body: T & { error?: string } }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: string } };
}

describe('prompts over the host', () => {
  it('saves, lists (searched, by kind), refuses a taken name unless replaced, renames, marks used and deletes', async () => {
    const a = await rpc<SavedPrompt>('prompts:save-prompt', { name: 'explain', kind: 'prompt', body: 'Explain {{ topic }} to {{ audience }}' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ name: 'explain', kind: 'prompt', variables: ['topic', 'audience'], lastUsedAt: null });
    expect((await rpc('prompts:save-prompt', { name: 'explain', kind: 'system', body: 'You explain.' })).status).toBe(200);

    const taken = await rpc('prompts:save-prompt', { name: 'explain', kind: 'prompt', body: 'other' });
    expect(taken).toEqual({ status: 400, body: { error: 'a prompt named "explain" already exists: confirm to replace it, or choose another name' } });
    const replaced = await rpc<SavedPrompt>('prompts:save-prompt', { name: 'explain', kind: 'prompt', body: 'Now {{ x }}', replace: true });
    expect(replaced.body).toMatchObject({ id: a.body.id, body: 'Now {{ x }}', variables: ['x'] });

    // Renaming by id onto a name taken is refused too; to a free name it keeps the entry.
    const b = await rpc<SavedPrompt>('prompts:save-prompt', { name: 'second', kind: 'prompt', body: 'two' });
    expect((await rpc('prompts:save-prompt', { id: b.body.id, name: 'explain', kind: 'prompt', body: 'two' })).status).toBe(400);
    const renamed = await rpc<SavedPrompt>('prompts:save-prompt', { id: b.body.id, name: 'third', kind: 'prompt', body: 'two!' });
    expect(renamed.body).toMatchObject({ id: b.body.id, name: 'third', body: 'two!' });

    expect((await rpc('prompts:mark-used', { id: b.body.id })).body).toEqual({ ok: true });
    const all = await rpc<SavedPrompt[]>('prompts:list-prompts', {});
    // Most recently used first, then by name, then kind.
    expect(all.body.map((p) => [p.name, p.kind])).toEqual([['third', 'prompt'], ['explain', 'prompt'], ['explain', 'system']]);
    expect((await rpc<SavedPrompt[]>('prompts:list-prompts', { kind: 'system' })).body.map((p) => p.body)).toEqual(['You explain.']);
    expect((await rpc<SavedPrompt[]>('prompts:list-prompts', { query: 'NOW' })).body.map((p) => p.name)).toEqual(['explain']);

    expect((await rpc('prompts:delete-prompt', { id: b.body.id })).body).toEqual({ ok: true });
    expect(await rpc('prompts:delete-prompt', { id: b.body.id })).toEqual({ status: 404, body: { error: `no saved prompt "${b.body.id}": it was already deleted` } });
    expect((await rpc('prompts:save-prompt', { id: b.body.id, name: 'gone', kind: 'prompt', body: 'x' })).status).toBe(404);

    const db = new Database(join(dir, 'data', 'switchyard.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT name, kind, body FROM prompts ORDER BY kind').all()).toEqual([
        { name: 'explain', kind: 'prompt', body: 'Now {{ x }}' },
        { name: 'explain', kind: 'system', body: 'You explain.' },
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses bad arguments with a 400 and one line', async () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ name: '', kind: 'prompt', body: 'x' }, /name the prompt/],
      [{ name: ' x', kind: 'prompt', body: 'x' }, /no leading or trailing spaces/],
      [{ name: 'a\nb', kind: 'prompt', body: 'x' }, /one line of printable characters/],
      [{ name: 'n'.repeat(121), kind: 'prompt', body: 'x' }, /at most 120 characters/],
      [{ name: 'x', kind: 'user', body: 'x' }, /kind/],
      [{ name: 'x', kind: 'prompt', body: '  ' }, /the prompt is empty/],
      [{ name: 'x', kind: 'prompt', body: 'b'.repeat(1_000_001) }, /at most 1,000,000 characters|request body/],
      [{ name: 'x', kind: 'prompt', body: 'x', extra: 1 }, /extra/],
    ];
    for (const [body, message] of bad) {
      const r = await rpc('prompts:save-prompt', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error).toMatch(message);
      expect(r.body.error).not.toMatch(/\n/);
    }
    expect((await rpc('prompts:list-prompts', { query: 'q'.repeat(501) })).status).toBe(400);
    expect((await rpc('prompts:delete-prompt', {})).status).toBe(400);
  });
});
