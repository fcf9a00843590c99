/**
 * Set-up of the CLI end-to-end tests: the real `switchyard` process (the
 * TypeScript source through tsx, as `npx switchyard` runs it before a build)
 * on a real SQLite file in a temp data directory, and the mock providers on
 * loopback, in this process or as a child process. Every child and directory
 * is tracked so that `cleanupCli()` in afterEach leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { z } from 'zod';
import type { MockProvidersOptions, MockRequestRecord } from '../mocks/provider-server';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_ARGS = ['--import', 'tsx', 'electron/cli/index.ts'];

/** Generous: a tsx start is 1-2 s on an idle machine and several times that on a loaded one. */
export const CLI_TIMEOUT_MS = 60_000;

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function kill(child: ChildProcess): Promise<void> {
  children.delete(child);
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

/** Kills every child still running (mock servers, CLIs) and removes every temp directory. */
export async function cleanupCli(): Promise<void> {
  await Promise.all([...children].map(kill));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

export function tempDir(prefix = 'switchyard-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its output is complete. */
  readonly exited: Promise<CliResult>;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** A command the CLI runs under, e.g. setpriv to run it as another user. */
  wrapper?: string[] | undefined;
}

/** A data directory of its own and the commands run against it. */
export class CliSandbox {
  readonly dataDir = tempDir();
  readonly dbFile = join(this.dataDir, 'switchyard.db');
  private readonly own = new Set<ChildProcess>();

  constructor(private readonly baseEnv: Record<string, string | undefined> = {}) {}

  /** Starts `switchyard …args` without waiting for it. */
  start(args: string[], opts: CliOptions = {}): RunningCli {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.baseEnv, ...opts.env, SWITCHYARD_DATA_DIR: this.dataDir };
    // A stack trace must never be the answer, so the debug switch that prints them stays off.
    delete env.SWITCHYARD_DEBUG;
    for (const [k, v] of Object.entries({ ...this.baseEnv, ...opts.env })) if (v === undefined) delete env[k];
    const [cmd, ...pre] = opts.wrapper?.length ? [...opts.wrapper, process.execPath] : [process.execPath];
    const child = spawn(cmd!, [...pre, ...CLI_ARGS, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    this.own.add(child);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
    const exited = new Promise<CliResult>((done, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`switchyard ${args.join(' ')} still running after ${timeoutMs} ms\nstdout: ${out.slice(-2000)}\nstderr: ${err.slice(-2000)}`));
      }, timeoutMs);
      // 'close', not 'exit': the pipes are drained by then.
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        children.delete(child);
        done({ code, signal, stdout: out, stderr: err });
      });
    });
    return { child, pid: child.pid!, stdout: () => out, stderr: () => err, exited };
  }

  run(args: string[], opts: CliOptions = {}): Promise<CliResult> {
    return this.start(args, opts).exited;
  }

  /** Runs a `--json` command that must succeed and returns its parsed stdout. */
  async json<T = unknown>(args: string[], opts: CliOptions = {}): Promise<T> {
    const r = await this.run(args, opts);
    expect(r.code, `switchyard ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return parseJsonOutput<T>(r);
  }

  /** Kills this sandbox's commands still running and removes its data directory (for concurrent tests). */
  async cleanup(): Promise<void> {
    await Promise.all([...this.own].map(kill));
    this.own.clear();
    rmSync(this.dataDir, { recursive: true, force: true });
    dirs.delete(this.dataDir);
  }

  /** A read-only look at the SQLite file; the caller closes it. */
  readDb(): Database.Database {
    return new Database(this.dbFile, { readonly: true, fileMustExist: true });
  }
}

/** stdout must hold exactly one JSON value and nothing else. */
export function parseJsonOutput<T = unknown>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON value:\n${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr}`);
  }
}

/** The usage-error contract: one line `switchyard: …` on stderr, no stack trace, the given exit code. */
export function expectOneLineError(r: CliResult, code: number, message: RegExp): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(r.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(lines, `stderr: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^switchyard: /);
  expect(lines[0]).toMatch(message);
  expect(r.code, `exit code; stderr: ${r.stderr}`).toBe(code);
  return lines[0]!;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

export interface MockProcess {
  url: string;
  baseUrls: { openai: string; anthropic: string; gemini: string };
  child: ChildProcess;
  /** Kills the mock; call it in afterAll (cleanupCli leaves mocks started in beforeAll running). */
  stop(): Promise<void>;
}

/** The mock providers as a child process (tests/mocks/run-mock.ts), like the e2e tests run them. */
export async function startMockProcess(options: MockProvidersOptions = {}): Promise<MockProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/mocks/run-mock.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, MOCK_PROVIDERS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const line = await new Promise<string>((done, fail) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`mock did not start: ${err}`)), CLI_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      buf += s;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        done(buf.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`mock exited with ${code}: ${err}`));
    });
  }).catch(async (e: unknown) => {
    await kill(child);
    throw e;
  });
  const info = JSON.parse(line) as Pick<MockProcess, 'url' | 'baseUrls'>;
  return { ...info, child, stop: () => kill(child) };
}

/** What the mock received, through its control endpoint. */
export async function mockRequests(url: string): Promise<MockRequestRecord[]> {
  const res = await fetch(`${url}/__mock/requests`);
  return (await res.json()) as MockRequestRecord[];
}

/** Only the streaming (chat) requests, not the model listings of `providers test`. */
export async function mockChatRequests(url: string): Promise<MockRequestRecord[]> {
  return (await mockRequests(url)).filter((r) => r.method === 'POST');
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = CLI_TIMEOUT_MS, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The documented `--json` contract of `compare` and `history show` (extra fields are allowed). */
export const AttemptJson = z.object({
  provider: z.string(),
  model: z.string(),
  status: z.string(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  startedAt: z.number(),
  ttftMs: z.number().nullable(),
  totalMs: z.number().nullable(),
});
export const ColumnJson = z.object({
  target: z.string(),
  status: z.enum(['ok', 'error', 'incomplete', 'cancelled', 'interrupted']),
  servedBy: z.object({ provider: z.string(), model: z.string() }).nullable(),
  fellBack: z.boolean(),
  text: z.string(),
  error: z.string().nullable(),
  attempts: z.array(AttemptJson),
  usage: z.object({ inputTokens: z.number().int().nullable(), outputTokens: z.number().int().nullable(), estimated: z.boolean() }),
  metrics: z.object({ ttftMs: z.number().nullable(), totalMs: z.number().nullable(), tokensPerSecond: z.number().nullable() }),
  costUsd: z.number().nullable(),
});
export const RunJson = z.object({ runId: z.string().min(1), columns: z.array(ColumnJson) });
export type RunJson = z.infer<typeof RunJson>;

/** Parses compare/history-show output against the contract, with a readable failure. */
export function runJsonOf(r: CliResult): RunJson {
  const parsed = RunJson.safeParse(parseJsonOutput(r));
  if (!parsed.success) throw new Error(`--json output breaks the contract: ${parsed.error.message}\n${r.stdout.slice(0, 2000)}`);
  return parsed.data;
}
