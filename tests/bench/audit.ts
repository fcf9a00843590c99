/**
 * Audit append cost per send: what the engine adds after each attempt (the
 * send entry: canonical JSON, SHA-256 of the request bytes, the leaf hash,
 * the previous leaf read, the insert), and apart the search-sent index of the
 * body, built on a later turn (its time includes that turn's wait)
 * on a real SQLite file in WAL mode, as the app opens it. Baseline: one plain
 * INSERT of a row of the same size in its own transaction, measured in the
 * same run. Also: a checkpoint that continues the compact range (256 new
 * leaves) against recomputing the root from every leaf.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../electron/store';
import { AuditLog } from '../../electron/audit/log';
import { keySigner } from '../../electron/audit/note';
import { rootOf } from '../../electron/audit/merkle';
import { generateKeyPairSync } from 'node:crypto';

const SENDS = 2000;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { medianMs: s[s.length >> 1]!, p95Ms: s[Math.floor(s.length * 0.95)]! };
}

/** An OpenAI-shaped chat body: `words` words of prompt, a system prompt, parameters. */
function body(words: number, i: number) {
  const prompt = Array.from({ length: words }, (_, w) => `word${(w * 7 + i) % 997}`).join(' ');
  return { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, temperature: 0.7, max_tokens: 1024, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: prompt }] };
}

export async function benchAudit() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-audit-'));
  const store = openStore(dir);
  const signer = keySigner('bench', generateKeyPairSync('ed25519').privateKey, 'memory');
  // Checkpoints are measured apart: none in the middle of the appends.
  const log = new AuditLog(store, { signer: async () => ({ signer, created: false }), checkpointEvery: Number.MAX_SAFE_INTEGER });
  try {
    const facts = (i: number) => ({
      kind: 'send' as const, runId: `r_bench${i}`, columnId: `c_bench${i}`, attempt: 0, target: 'openai/gpt-4o-mini',
      endpoint: { provider: 'openai', protocol: 'openai', host: 'api.openai.com', model: 'gpt-4o-mini' }, outcome: 'ok', httpStatus: 200,
    });
    /** The append (what runs after each attempt, in its transaction), then apart the deferred index build of the same body. */
    const measureSends = async (words: number, n: number) => {
      const append: number[] = [];
      const index: number[] = [];
      for (let i = 0; i < n; i++) {
        const b = body(words, i);
        const bytes = Buffer.from(JSON.stringify(b));
        const t0 = performance.now();
        log.recordSend(facts(i), { bytes, body: b });
        append.push(performance.now() - t0);
        const t1 = performance.now();
        await log.settled();
        index.push(performance.now() - t1);
      }
      return { append: stats(append), index: stats(index), bodyBytes: Buffer.byteLength(JSON.stringify(body(words, 0))) };
    };
    await measureSends(150, 200); // warm-up
    const typical = await measureSends(150, SENDS);
    const large = await measureSends(6000, 200);

    // Baseline: the same kind of row inserted plainly, one transaction each.
    store.db.exec('CREATE TABLE bench_plain (seq INTEGER PRIMARY KEY, created_at INTEGER, kind TEXT, entry TEXT, leaf BLOB)');
    const ins = store.db.prepare('INSERT INTO bench_plain (created_at, kind, entry, leaf) VALUES (?, ?, ?, ?)');
    const text = store.audit.recent(1)[0]!.entry;
    const leaf = Buffer.alloc(32, 1);
    const plain: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const t0 = performance.now();
      store.db.transaction(() => ins.run(Date.now(), 'send', text, leaf)).immediate();
      plain.push(performance.now() - t0);
    }

    const first = performance.now();
    await log.checkpoint();
    const firstCheckpointMs = performance.now() - first;
    for (let i = 0; i < 256; i++) log.append({ kind: 'run-delete', runId: `r${i}` });
    const t0 = performance.now();
    await log.checkpoint();
    const incrementalMs = performance.now() - t0;
    const leaves = store.audit.all().map((r) => r.leaf_hash);
    const t1 = performance.now();
    rootOf(leaves);
    const fullRootMs = performance.now() - t1;
    return { typical, large, plain: stats(plain), entries: leaves.length, firstCheckpointMs, incrementalMs, fullRootMs };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
