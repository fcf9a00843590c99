/**
 * A history at a researcher's scale for the bench: 100,000 runs of 10 columns
 * (a million answers of about 60 words), written through the runs repository
 * the way the engine writes them, once, and cached under .bench/.
 *
 * Words come from a vocabulary of pseudo-words drawn with a Zipf distribution,
 * so a few words occur in nearly every run and most in a handful: the common
 * word is the search the issue measured at 1.6 s.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/store/db';
import { databaseFile } from '../../electron/store/paths';
import { createRunsRepo } from '../../electron/store/runs-repo';
import { CompareRequest, type ColumnResult, type ColumnStatus } from '../../shared/domain';
import { seeded as mulberry32 } from '../support/prng';
export { mulberry32 };

/** Bump when what is seeded changes: a cached file of another format is never reused. */
export const SEED_FORMAT = 1;
export const SEED = { runs: 100_000, columnsPerRun: 10, answerWords: 60, vocabulary: 8_000 } as const;
const T0 = Date.UTC(2025, 11, 1);
const RUN_SPACING_MS = 5 * 60_000;
const BATCH = 500;


const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'en', 'ar', 'is', 'um', 'pre', 'tra', 'sel', 'dor', 'qui', 'bel', 'fen', 'gal', 'hor', 'jun', 'lex', 'mor'];

/** Rank 0 is the most common word. Short words are the common ones, as in any language. */
export function vocabulary(size: number): string[] {
  const rnd = mulberry32(7);
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    const n = 1 + Math.min(3, Math.floor(Math.log10(words.length + 10) * rnd() * 1.6));
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]!;
    if (w.length < 3 || seen.has(w)) continue;
    seen.add(w);
    words.push(w);
  }
  return words;
}

/** Draws ranks with P(rank) proportional to 1/(rank+1). */
function zipf(size: number, rnd: () => number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) cdf[i] = sum += 1 / (i + 1);
  return () => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const MODELS = [
  'openai/gpt-4o-mini', 'openai/gpt-4.1', 'anthropic/claude-3-5-haiku', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash',
  'google/gemini-2.5-pro', 'meta-llama/llama-3.3-70b', 'mistral/mistral-large', 'deepseek/deepseek-chat', 'qwen/qwen-2.5-72b',
  'groq:llama-3.1-8b', 'ollama:llama3:8b', 'openrouter:x-ai/grok-3', 'together:mixtral-8x7b',
];
// Nine in ten columns answer; the rest fail in each of the ways a column can.
const STATUS_WEIGHTS: Array<[ColumnStatus, number]> = [['ok', 0.9], ['error', 0.04], ['incomplete', 0.03], ['cancelled', 0.02], ['interrupted', 0.01]];

/**
 * Seeds the cached history if it is not there yet. Returns its data directory (what openStore takes: the
 * database is `switchyard.db` in it) and, when it seeded, how long that took.
 */
export function ensureSeeded(dir = '.bench', count: number = SEED.runs, log: (s: string) => void = (s) => process.stderr.write(s)): { dataDir: string; seededMs: number | null } {
  const dataDir = join(dir, count === SEED.runs ? `history-1m-v${SEED_FORMAT}` : `history-${count}-v${SEED_FORMAT}`);
  const file = databaseFile(dataDir);
  if (existsSync(file)) return { dataDir, seededMs: null };
  mkdirSync(dir, { recursive: true });
  // Written beside the cache and moved in when complete: an interrupted seed is never taken for one.
  const partial = `${dataDir}.partial.db`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const started = performance.now();
  const db = openDatabase(partial);
  // Only this connection, only while seeding: a machine crash here just means seeding again.
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 10000');
  const runs = createRunsRepo(db);
  const words = vocabulary(SEED.vocabulary);
  const rnd = mulberry32(42);
  const rank = zipf(words.length, rnd);
  const text = (n: number) => Array.from({ length: n }, () => words[rank()]!).join(' ');
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const status = (): ColumnStatus => {
    let x = rnd();
    for (const [st, w] of STATUS_WEIGHTS) if ((x -= w) < 0) return st;
    return 'ok';
  };

  const seedRun = (i: number) => {
    const createdAt = T0 + i * RUN_SPACING_MS + Math.floor(rnd() * 1000);
    const runId = `run_${i.toString(36).padStart(5, '0')}_${Math.floor(rnd() * 1e9).toString(36)}`;
    const targets = Array.from({ length: SEED.columnsPerRun }, () => pick(MODELS));
    const request = CompareRequest.parse({ messages: [{ role: 'user', content: `${text(8 + Math.floor(rnd() * 30))}?` }], targets });
    const columns = targets.map((target, index) => ({ columnId: `${runId}_${index}`, index, target }));
    runs.createRun({ runId, createdAt, request, columns, pid: 1 });
    for (const c of columns) {
      const st = status();
      const ttftMs = st === 'error' ? null : 150 + rnd() * 1500;
      const totalMs = ttftMs === null ? 300 + rnd() * 500 : ttftMs + 1000 + rnd() * 8000;
      const outputTokens = st === 'error' ? 0 : Math.round(SEED.answerWords * (0.8 + rnd() * 0.6));
      const answer = st === 'error' ? '' : text(Math.round(SEED.answerWords * (0.8 + rnd() * 0.4)));
      const [provider, model] = c.target.includes(':') ? c.target.split(/:(.*)/s) : c.target.split('/');
      const attempt = { provider: provider!, model: model!, status: st === 'ok' ? ('ok' as const) : ('error' as const), httpStatus: st === 'error' ? 500 : 200,
        error: st === 'error' ? '500 from upstream: overloaded' : null, errorKind: st === 'error' ? ('server' as const) : null, startedAt: createdAt + 5,
        ttftMs, totalMs, keyIndex: 0, retryAfterMs: null, outputTokens };
      const attemptId = runs.startAttempt(c.columnId, { ...attempt, status: 'running', endpointId: `${provider}:${model}`, seq: 0 }, true);
      runs.finishAttempt(attemptId, attempt, createdAt + totalMs);
      const col: ColumnResult = {
        columnId: c.columnId, index: c.index, target: c.target, status: st, servedBy: st === 'error' ? null : { provider: provider!, model: model! },
        fellBack: false, text: answer, reasoning: '', finishReason: st === 'ok' ? 'stop' : null, error: attempt.error, attempts: [attempt],
        usage: { inputTokens: 20 + Math.floor(rnd() * 200), outputTokens, reasoningTokens: null, cachedInputTokens: null, estimated: false },
        metrics: { queuedAt: createdAt, sentAt: createdAt + 5, ttftMs, totalMs, tokensPerSecond: outputTokens / (totalMs / 1000) },
        costUsd: st === 'error' ? 0 : rnd() * 0.002, providerCostUsd: null, costDrift: null,
      };
      runs.finishColumn(col, { endpointId: `${provider}:${model}`, priceJson: '{"inputPerM":0.15,"outputPerM":0.6}' }, createdAt + totalMs);
    }
    runs.finishRun(runId, createdAt + 10_000);
    // As the engine does after each run (off its request path): the answers into the full-text index, the filter facets.
    runs.indexPending();
  };

  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) seedRun(i);
  });
  for (let from = 0; from < count; from += BATCH) {
    batch(from, Math.min(count, from + BATCH));
    if (from % 10_000 === 0) log(`bench: history seed ${from.toLocaleString('en-US')}/${count.toLocaleString('en-US')} runs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  // The index is left as FTS5's automerge left it (no 'optimize'): what a database grown run by run looks like.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const f of [`${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  mkdirSync(dataDir, { recursive: true });
  renameSync(partial, file);
  return { dataDir, seededMs: performance.now() - started };
}
