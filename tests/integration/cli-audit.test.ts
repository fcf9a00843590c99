/**
 * `switchyard audit verify|export|show|search-sent`: the real process on a real
 * SQLite file, runs made by a real compare against the mock providers.
 */
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockProviders } from '../mocks/provider-server';
import { CliSandbox, expectOneLineError, runJsonOf } from './cli-helpers';

const KEY = { SY_AUDIT_KEY: 'sk-test-audit-0123456789' };
const SECRET = 'pw=Tr0ub4dor&3-horse';

describe('switchyard audit', { timeout: 240_000 }, () => {
  it('shows, verifies, exports, proves consistency with an older export, finds what was sent, and names a tampered entry', async (t) => {
    const mock = await startMockProviders({ requireKey: KEY.SY_AUDIT_KEY });
    const sb = new CliSandbox(KEY);
    t.onTestFinished(async () => {
      await sb.cleanup();
      await mock.close();
    });
    const added = await sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'SY_AUDIT_KEY']);
    expect(added.code, added.stderr).toBe(0);
    const compared = await sb.run(['compare', `keep ${SECRET} safe`, '-m', 'mock:mock-small', '-m', 'mock:mock-large', '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    const runId = runJsonOf(compared).runId;

    const shown = await sb.json<Array<{ seq: number; kind: string; entry: Record<string, unknown> }>>(['audit', 'show', '--json']);
    // Newest first: each send's search index follows it on a later turn, so the two orders of those four can interleave.
    expect(shown.slice(4).map((e) => e.kind)).toEqual(['key', 'provider']);
    expect(shown.slice(0, 4).map((e) => e.kind).sort()).toEqual(['send', 'send', 'sent-index', 'sent-index']);
    const sends = await sb.json<Array<{ entry: { runId: string; requestSha256: string } }>>(['audit', 'show', '--json', '--kind', 'send', '--limit', '1']);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.entry.runId).toBe(runId);
    expect(mock.requests.map((r) => r.bodySha256)).toContain(sends[0]!.entry.requestSha256);
    const table = await sb.run(['audit', 'show']);
    expect(table.stdout).toMatch(/send\s+r_\S+ col c_\S+ -> mock:mock-small at 127\.0\.0\.1:\d+/);

    // The first verify makes the signing key (a file: said once; its creation is entry 7) and signs the head.
    const v1 = await sb.run(['audit', 'verify']);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stdout).toMatch(/^audit log verified: 6 entries, 0 checkpoints checked, root [0-9a-f]{64}\ncheckpoint signed at size 7\n$/);
    expect(v1.stderr).toMatch(/^audit: created the checkpoint signing key as a file \(.*audit-signing-key\.pem, readable only by you\)/);
    const v2 = await sb.run(['audit', 'verify']);
    expect(v2.code).toBe(0);
    expect(v2.stderr).toBe('');
    expect(v2.stdout).toMatch(/7 entries, 1 checkpoint checked, root [0-9a-f]{64}\nthe latest checkpoint already covers all 7\n$/);

    const file = join(sb.dataDir, 'audit.jsonl');
    const exported = await sb.run(['audit', 'export', '--out', file]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'log', size: 7 });
    const entryLines = lines.filter((l) => l.type === 'entry');
    expect(entryLines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Anyone can recompute each leaf from the export: SHA-256(0x00 || canonical JSON).
    for (const l of entryLines) expect(createHash('sha256').update(Buffer.from([0])).update(canonicalize(l.entry)!).digest('hex')).toBe(l.leafHash);
    expect(lines.find((l) => l.type === 'checkpoint')).toMatchObject({ size: 7 });
    expect(String(lines.find((l) => l.type === 'key')!.publicKeyPem)).toMatch(/BEGIN PUBLIC KEY/);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(readFileSync(file, 'utf8')).not.toContain(KEY.SY_AUDIT_KEY);

    // The log grows (the export itself is an entry, and another run); the old export still proves it only grew.
    expect((await sb.run(['compare', 'another prompt', '-m', 'mock:mock-small'])).code).toBe(0);
    const consistent = await sb.run(['audit', 'verify', '--checkpoint', file]);
    expect(consistent.code, consistent.stdout + consistent.stderr).toBe(0);
    expect(consistent.stdout).toMatch(/consistent with the checkpoint file: its 7 entries are the first 7 of today's 10 \(proof of \d+ hashes, signed by switchyard\.local\/audit\/[0-9a-f]{16}\+[0-9a-f]{8}\)/);

    const found = await sb.run(['audit', 'search-sent', SECRET]);
    expect(found.code).toBe(2);
    expect(found.stdout.match(new RegExp(runId, 'g'))).toHaveLength(2);
    const whole = await sb.run(['audit', 'search-sent', `keep ${SECRET} safe`, '--json']);
    expect(whole.code).toBe(2);
    expect((JSON.parse(whole.stdout) as { hits: Array<{ whole: boolean; tampered: boolean }> }).hits).toMatchObject([{ whole: true, tampered: false }, { whole: true, tampered: false }]);
    const notFound = await sb.run(['audit', 'search-sent', 'sk-never-left-0000']);
    expect(notFound.code).toBe(0);
    expect(notFound.stdout).toBe('not found in any of 3 recorded sends\n');

    // Tampering with the file: an edited entry is named, on stdout, with one line on stderr.
    const db = new Database(sb.dbFile);
    db.exec('DROP TRIGGER audit_entries_no_update');
    // Seq 3 is the first send (1 and 2 are the provider and its key): it now claims the send failed.
    expect(db.prepare(`UPDATE audit_entries SET entry = replace(entry, '"outcome":"ok"', '"outcome":"error"') WHERE seq = 3 AND kind = 'send'`).run().changes).toBe(1);
    db.close();
    const broken = await sb.run(['audit', 'verify']);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('seq 3: entry edited (its bytes no longer hash to the leaf recorded with it)');
    expectOneLineError(broken, 2, /^switchyard: the audit log does not verify: \d+ problems?, the first: seq 3: entry edited/);
    const againstFile = await sb.run(['audit', 'verify', '--checkpoint', file]);
    expect(againstFile.code).toBe(2);
    expect(againstFile.stdout).toContain('seq 3: entry edited');

    // Bad input: one line each.
    expectOneLineError(await sb.run(['audit', 'show', '--kind', 'nope']), 1, /^switchyard: invalid --kind "nope": expected one of send, sent-index, refusal, provider, key, budget, run-delete, export, audit-key$/);
    expectOneLineError(await sb.run(['audit', 'verify', '--checkpoint', join(sb.dataDir, 'none.txt')]), 1, /^switchyard: --checkpoint: .*none\.txt/);
    expectOneLineError(await sb.run(['audit', 'export', '--since', 'yesterday']), 1, /^switchyard: invalid --since "yesterday"/);
    expectOneLineError(await sb.run(['audit', 'search-sent', 'ab']), 1, /at least 4 characters/);
  });
});
