/** Reading the audit log: verify, export, show and search-sent, the same for the CLI and (later) the window. */
import type { Store } from '../store';
import type { AuditRow } from '../store/audit-repo';
import { decodeEntry } from './entries';
import type { AuditLog } from './log';
import { publicKeyFromRaw, verifierKey } from './note';
import { indexDigest, matchSent, queryTokens, type SentMatch } from './sent-index';
import { verifyLog, type VerifyReport } from './verify';

export function verifyStore(store: Store, log: AuditLog, external?: string | null): VerifyReport {
  return verifyLog({ origin: log.origin(), rows: store.audit.all(), checkpoints: store.audit.checkpoints(), keys: store.audit.keys(), external });
}

export interface ShownEntry {
  seq: number;
  at: string;
  kind: string;
  /** The entry as written (envelope and body), or null when the row is not valid JSON. */
  entry: Record<string, unknown> | null;
}

function shown(r: AuditRow): ShownEntry {
  const d = decodeEntry(r.entry);
  return { seq: r.seq, at: new Date(r.created_at).toISOString(), kind: r.kind, entry: d.ok ? d.entry : null };
}

export function listEntries(store: Store, opts: { limit: number; kind?: string | undefined }): ShownEntry[] {
  return store.audit.recent(opts.limit, opts.kind).map(shown);
}

/** One line for a person: what the entry says, without its envelope. */
export function summarize(e: ShownEntry): string {
  const x = e.entry as Record<string, unknown> | null;
  if (!x) return '(unreadable entry)';
  const s = (k: string) => (typeof x[k] === 'string' ? (x[k] as string) : '');
  switch (e.kind) {
    case 'send': {
      const ep = x.endpoint as { provider: string; host: string; model: string } | undefined;
      return `${s('runId')} col ${s('columnId')} -> ${ep?.provider}:${ep?.model} at ${ep?.host}, ${x.requestBytes} bytes sha256 ${s('requestSha256').slice(0, 16)}…, ${s('outcome')}`;
    }
    case 'refusal':
      return `${s('stage')} refused (${s('rule')}): ${s('reason')}`;
    case 'provider':
      return `provider ${s('provider')} ${s('action')} (${s('protocol')} at ${s('host')})${Array.isArray(x.changed) && x.changed.length ? `: ${(x.changed as string[]).join(', ')}` : ''}`;
    case 'key': {
      const ref = x.ref as { kind: string; name?: string; id?: string; last4?: string };
      return `key ${s('action')} for ${s('provider')}: ${ref.kind === 'env' ? `env ${ref.name}` : `stored …${ref.last4}`}`;
    }
    case 'budget':
      return `budget ${s('action')}: ${s('scope')}${s('scopeValue') ? ` ${s('scopeValue')}` : ''} per ${s('period')}${typeof x.usd === 'number' ? ` $${x.usd}` : ''}`;
    case 'run-delete':
      return `run ${s('runId')} deleted`;
    case 'export':
      return `${s('what')} exported as ${s('format')} to ${s('to')}${Array.isArray(x.runIds) && x.runIds.length ? `: ${(x.runIds as string[]).join(' ')}` : ''}`;
    case 'sent-index':
      return `search index of seq ${x.sendSeq}: ${x.hashes} salted hashes`;
    case 'audit-key':
      return `signing key ${s('keyName')}+${s('keyHash')} (${s('backend')})`;
    default:
      return JSON.stringify(x);
  }
}

/**
 * The export: JSON lines. A `log` line (origin, size), one `entry` line per entry
 * (its canonical JSON re-serialises byte for byte, and `leafHash` is
 * SHA-256(0x00 || those bytes)), the latest `checkpoint` (a signed note) and a
 * `key` line per signing key (verifier key string and PEM).
 */
export async function exportLog(store: Store, log: AuditLog, sinceMs: number): Promise<{ text: string; entries: number; size: number }> {
  // A read-only data directory exports what it has: the latest checkpoint already signed.
  const cp = store.db.readonly ? store.audit.latestCheckpoint() : await log.checkpoint();
  const rows = sinceMs > 0 ? store.audit.since(sinceMs) : store.audit.all();
  const lines: string[] = [JSON.stringify({ type: 'log', origin: log.origin(), size: cp?.tree_size ?? 0, since: sinceMs > 0 ? new Date(sinceMs).toISOString() : null, exportedAt: new Date().toISOString() })];
  for (const r of rows) lines.push(JSON.stringify({ type: 'entry', seq: r.seq, leafHash: r.leaf_hash.toString('hex'), entry: decodeEntry(r.entry).ok ? JSON.parse(r.entry) : r.entry }));
  if (cp) lines.push(JSON.stringify({ type: 'checkpoint', size: cp.tree_size, root: cp.root_hash.toString('hex'), note: cp.note }));
  for (const k of store.audit.keys()) {
    const pem = publicKeyFromRaw(k.public_key).export({ type: 'spki', format: 'pem' }) as string;
    lines.push(JSON.stringify({ type: 'key', name: k.name, keyHash: k.key_hash, backend: k.backend, vkey: verifierKey(k.name, k.public_key), publicKeyPem: pem }));
  }
  return { text: lines.join('\n') + '\n', entries: rows.length, size: cp?.tree_size ?? 0 };
}

export interface SentHit extends SentMatch {
  seq: number;
  at: string | null;
  runId: string | null;
  endpoint: string | null;
  /** The row's hashes no longer match the digest its send entry carries. */
  tampered: boolean;
}

/** Every send whose body held the whole string, or every one of its tokens. */
export function searchSent(store: Store, query: string): { tokens: number; hits: SentHit[]; partial: number; sends: number } {
  const all = store.audit.all();
  const entries = new Map(all.filter((r) => r.kind === 'send').map((r) => [r.seq, r]));
  // The digest each index row should have, from its sent-index entry (in the tree).
  const digests = new Map<number, string>();
  for (const r of all) {
    if (r.kind !== 'sent-index') continue;
    const d = decodeEntry(r.entry);
    if (d.ok && typeof d.entry.sendSeq === 'number' && typeof d.entry.sha256 === 'string') digests.set(d.entry.sendSeq, d.entry.sha256);
  }
  const hits: SentHit[] = [];
  let partial = 0;
  const rows = store.audit.sent();
  for (const row of rows) {
    const m = matchSent(query, row.salt, row.hashes);
    const full = m.whole || (m.tokens > 0 && m.tokensFound === m.tokens);
    if (!full) {
      if (m.tokensFound > 0) partial++;
      continue;
    }
    const e = entries.get(row.seq);
    const d = e ? decodeEntry(e.entry) : null;
    const x = d?.ok ? (d.entry as Record<string, unknown>) : null;
    const ep = x?.endpoint as { provider: string; host: string; model: string } | undefined;
    const digest = digests.get(row.seq);
    hits.push({
      ...m, seq: row.seq, at: e ? new Date(e.created_at).toISOString() : null, runId: typeof x?.runId === 'string' ? x.runId : null,
      endpoint: ep ? `${ep.provider}:${ep.model} at ${ep.host}` : null, tampered: digest !== indexDigest(row.salt, row.hashes),
    });
  }
  return { tokens: queryTokens(query).length, hits, partial, sends: rows.length };
}
