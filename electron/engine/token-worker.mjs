// Counts tokens off the main thread. Loading a BPE table takes 0.5-3 s and a
// long prompt takes tens of ms to count; done on the engine's event loop either
// would stall every stream in flight and the host's answers.
// Plain JS so it runs as is from source and next to a bundle.
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { CountCancelled, counterFor } from './token-count.mjs';

const require = createRequire(import.meta.url);
const counters = new Map();

function counter(encoding) {
  let c = counters.get(encoding);
  if (!c) {
    c = counterFor(require(`gpt-tokenizer/cjs/encoding/${encoding}`));
    counters.set(encoding, c);
  }
  return c;
}

parentPort.on('message', ({ id, groups, budgetMs, flag }) => {
  // A superseded job still queued is skipped without loading or counting anything.
  const cancelled = () => flag !== undefined && Atomics.load(flag, 0) === 1;
  if (cancelled()) return parentPort.postMessage({ id, cancelled: true });
  try {
    for (const g of groups) counter(g.encoding);
    // The budget starts once the tables are loaded: a first count must not be all bound for the load's sake.
    const deadline = budgetMs === undefined ? undefined : performance.now() + budgetMs;
    const results = groups.map((g) => g.texts.map((t) => counter(g.encoding)(t, { deadline, cancelled })));
    parentPort.postMessage({ id, results });
  } catch (err) {
    if (err instanceof CountCancelled) parentPort.postMessage({ id, cancelled: true });
    else parentPort.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
