/**
 * Bad input to the real `switchyard` process: one clear line on stderr, never
 * a stack trace, exit 1 for usage and input errors; a target that cannot be
 * reached is not a usage error but a failed column (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, cleanupCli, closedPort, expectOneLineError, mockChatRequests, parseJsonOutput, runJsonOf, tempDir, type CliResult } from './cli-helpers';

/** Runs `jobs` with at most `limit` processes at a time: two cores, many starts. */
async function inBatches<T>(jobs: Array<() => Promise<T>>, limit = 4): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

interface Case {
  name: string;
  args: string[];
  message: RegExp;
}

/** Each is rejected before anything is sent: exit 1 and one line. */
const USAGE_CASES: Case[] = [
  { name: 'unknown provider in a target', args: ['compare', 'hi', '-m', 'nope:gpt-4o-mini'], message: /unknown provider "nope" in target "nope:gpt-4o-mini" \(configured: .*\)$/ },
  { name: 'unknown model', args: ['compare', 'hi', '-m', 'no-such-lab/no-such-model'], message: /unknown model "no-such-lab\/no-such-model"/ },
  { name: 'malformed target a:', args: ['compare', 'hi', '-m', 'a:'], message: /malformed target "a:": missing model after "a:"$/ },
  { name: 'malformed target @x', args: ['compare', 'hi', '-m', '@x'], message: /malformed target "@x"/ },
  { name: 'malformed target "a b"', args: ['compare', 'hi', '-m', 'a b'], message: /malformed target "a b": spaces are not allowed$/ },
  { name: '--temperature abc', args: ['compare', 'hi', '-m', 'mock:mock-small', '--temperature', 'abc'], message: /--temperature must be a number between 0 and 2/ },
  { name: '--max-tokens -1', args: ['compare', 'hi', '-m', 'mock:mock-small', '--max-tokens', '-1'], message: /--max-tokens must be an integer between 1 and/ },
  { name: '--type foo', args: ['providers', 'add', 'y', '--type', 'foo'], message: /invalid --type "foo": expected openai, anthropic or gemini$/ },
  { name: '--route fastest', args: ['compare', 'hi', '-m', 'mock:mock-small', '--route', 'fastest'], message: /'fastest' is invalid\. expected one of order, price, latency, throughput, balanced/ },
  { name: '--max-price x', args: ['compare', 'hi', '-m', 'mock:mock-small', '--max-price', 'x'], message: /--max-price <in,out>' argument 'x' is invalid\. expected IN,OUT/ },
  { name: 'a non-http base URL', args: ['providers', 'add', 'y', '--type', 'openai', '--base-url', 'ftp://example.com/v1'], message: /base URL must be http\(s\)/ },
  { name: 'unknown command', args: ['frobnicate'], message: /unknown command 'frobnicate'/ },
  { name: 'unknown option', args: ['compare', 'hi', '-m', 'mock:mock-small', '--bogus'], message: /unknown option '--bogus'/ },
  { name: 'compare without -m', args: ['compare', 'hi'], message: /compare needs at least one -m <target>/ },
  { name: 'an unknown run', args: ['history', 'show', 'r_nope'], message: /no run "r_nope"/ },
];

describe('switchyard bad input', () => {
  let mock: MockProviders;
  beforeAll(async () => {
    mock = await startMockProviders();
  });
  afterAll(() => mock.close());
  afterEach(cleanupCli);

  it('each gets one line on stderr, no stack trace, and the right exit code', { timeout: 240_000 }, async () => {
    const sb = new CliSandbox({ NOPE_NOT_SET: undefined });
    const port = await closedPort();
    const setup: Array<() => Promise<CliResult>> = [
      () => sb.run(['providers', 'add', 'x', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--api-key-env', 'NOPE_NOT_SET']),
      () => sb.run(['providers', 'add', 'closed', '--type', 'openai', '--base-url', `http://127.0.0.1:${port}/v1`]),
    ];
    // The providers are added while the independent cases run.
    const results = await inBatches([...setup, ...USAGE_CASES.map((c) => () => sb.run(c.args))]);
    for (const r of results.slice(0, setup.length)) expect(r.code, r.stderr).toBe(0);
    expect(results[0]!.stdout).toMatch(/key: \$NOPE_NOT_SET \(not set\)/);
    USAGE_CASES.forEach((c, i) => {
      const r = results[i + setup.length]!;
      expect.soft(() => expectOneLineError(r, 1, c.message), `${c.name}: ${JSON.stringify(r)}`).not.toThrow();
      expect.soft(r.stdout, c.name).toBe('');
    });

    const [missingKey, unreachable] = await Promise.all([
      sb.run(['compare', 'hi', '-m', 'x:mock-small']),
      sb.run(['compare', 'hi', '-m', 'closed:mock-small', '--json']),
    ]);
    // A missing key variable is caught before sending.
    expectOneLineError(missingKey, 1, /environment variable NOPE_NOT_SET is not set/);
    expect(await mockChatRequests(mock.url)).toEqual([]);

    // An unreachable base URL fails its column with a network error: exit 2, the JSON still printed.
    expect(unreachable.code, unreachable.stderr).toBe(2);
    expect(unreachable.stderr).toBe('');
    const [col] = runJsonOf(unreachable).columns;
    expect(col!.status).toBe('error');
    expect(col!.error).toMatch(new RegExp(`cannot reach .*127\\.0\\.0\\.1:${port}`));
    expect(col!.error).not.toContain('\n');
    expect(col!.attempts.length).toBeGreaterThan(0);
    for (const a of col!.attempts) expect(a).toMatchObject({ status: 'error', httpStatus: null });
  });

  it('a database from a newer build is refused with one line, and left untouched', { timeout: 120_000 }, async () => {
    const sb = new CliSandbox();
    const future = new Database(sb.dbFile);
    future.pragma('user_version = 999');
    future.close();

    const r = await sb.run(['history', 'list', '--json']);
    expectOneLineError(r, 1, /database schema v999 is newer than this build knows \(v\d+\); update Switchyard/);
    const db = sb.readDb();
    expect(db.pragma('user_version', { simple: true })).toBe(999);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('output into a pipe closed early (| head): exits 141 quietly, no stack trace', { timeout: 120_000 }, async () => {
    const sb = new CliSandbox();
    const run = sb.start(['catalog', 'list', '--json']);
    // The reader goes away after the first chunk, as `head -c 10` does: the catalog is megabytes.
    run.child.stdout!.once('data', () => run.child.stdout!.destroy());
    const r = await run.exited;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });

  it('a read-only data directory: reading commands work, writing ones say it is read-only, nothing is written', { timeout: 240_000 }, async (t) => {
    // As root, permissions stop nothing: the commands run as "nobody" then (setpriv, util-linux).
    const asRoot = process.getuid?.() === 0;
    const setpriv = spawnSync('setpriv', ['--version']).status === 0;
    if (asRoot && !setpriv) t.skip('running as root without setpriv: file permissions cannot make the directory read-only');
    const sb = new CliSandbox();
    expect((await sb.run(['providers', 'add', 'mock', '--type', 'openai', '--base-url', mock.baseUrls.openai])).code).toBe(0);
    const seeded = await sb.run(['compare', 'read only please', '-m', 'mock:mock-small', '--json']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const runId = runJsonOf(seeded).runId;
    const before = readdirSync(sb.dataDir).sort();
    // The private copy a read-only WAL database needs goes to this TMPDIR, so we can see it is removed.
    const tmp = tempDir('switchyard-ro-tmp-');
    chmodSync(tmp, 0o777);
    for (const f of before) chmodSync(`${sb.dataDir}/${f}`, 0o444);
    chmodSync(sb.dataDir, 0o555);
    const wrapper = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined;
    const run = (args: string[]) => sb.run(args, { env: { TMPDIR: tmp }, wrapper });
    try {
      const reads = await inBatches([
        () => run(['history', 'list', '--json']),
        () => run(['history', 'show', runId, '--json']),
        () => run(['history', 'list', '--search', 'zzz']),
        () => run(['providers', 'list', '--json']),
        () => run(['budgets', 'list', '--json']),
        () => run(['spend', '--json']),
        () => run(['endpoints', '--json']),
        () => run(['catalog', 'show', 'openai/gpt-4o-mini', '--json']),
      ]);
      for (const r of reads) expect(r.code, r.stderr).toBe(0);
      expect(parseJsonOutput<Array<{ runId: string }>>(reads[0]!).map((x) => x.runId)).toEqual([runId]);
      expect(runJsonOf(reads[1]!).columns[0]!.status).toBe('ok');
      expect(reads[2]!.stdout).toBe('no runs match "zzz"\n');
      expect(parseJsonOutput<Array<{ id: string }>>(reads[3]!).map((p) => p.id)).toEqual(['mock']);

      const sent = (await mockChatRequests(mock.url)).length;
      const writes = await inBatches([
        () => run(['providers', 'add', 'other', '--type', 'openai']),
        () => run(['budgets', 'set', '--period', 'day', '--usd', '5']),
        () => run(['compare', 'hi', '-m', 'mock:mock-small']),
      ]);
      for (const r of writes) expectOneLineError(r, 1, /the data directory .* is read-only: this command writes to it \(make it writable, or set SWITCHYARD_DATA_DIR to another folder\)$/);
      expect(await mockChatRequests(mock.url)).toHaveLength(sent);
      expect(readdirSync(sb.dataDir).sort()).toEqual(before);
      expect(readdirSync(tmp).filter((f) => f.startsWith('switchyard-readonly-'))).toEqual([]);
    } finally {
      chmodSync(sb.dataDir, 0o755);
    }
  });
});

