/**
 * What an audit entry says, one zod schema per kind in a discriminated union.
 * Later features (workspaces, policies, guardrails, retention) add kinds here;
 * an entry of a kind this build does not know still hashes and verifies (the
 * tree is over bytes), it only shows as raw JSON.
 *
 * An entry's bytes are its RFC 8785 canonical JSON: the envelope (`v`, `seq`,
 * `at`, `prev`) and the body's fields side by side. `prev` is the previous
 * entry's leaf hash, so an entry edited together with its own stored hash is
 * still named by the next one.
 *
 * Never in an entry: a key, a prompt or an answer. A send carries the SHA-256
 * of the request bytes; keys appear as their reference and last four at most.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';

const Endpoint = z.object({
  provider: z.string(),
  protocol: z.string(),
  /** host[:port] of the base URL: where the bytes went. */
  host: z.string(),
  /** The upstream model name as sent. */
  model: z.string(),
});

const KeyRefView = z.union([
  z.object({ kind: z.literal('env'), name: z.string() }),
  z.object({ kind: z.literal('secret'), id: z.string(), last4: z.string() }),
]);

export const RefusalRule = z.enum(['budget', 'modality', 'key-policy', 'missing-key', 'unservable', 'constraints']);
export type RefusalRule = z.infer<typeof RefusalRule>;

export const AuditBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('send'),
    runId: z.string(),
    columnId: z.string(),
    /** The attempt's number within its column (failovers and retries are sends of their own). */
    attempt: z.number().int(),
    target: z.string(),
    endpoint: Endpoint,
    /** SHA-256 (hex) of the exact request body bytes that were posted. */
    requestSha256: z.string().regex(/^[0-9a-f]{64}$/),
    requestBytes: z.number().int(),
    /** How the attempt ended: ok, error, incomplete, cancelled. */
    outcome: z.string(),
    httpStatus: z.number().int().nullable(),
  }),
  z.object({
    /**
     * The salted hashes `audit search-sent` checks for one send (kept in audit_sent), built on a later
     * turn than the send's own entry so hashing every piece of a long prompt never sits in an append:
     * this entry carries their digest, so that row is covered by the tree too.
     */
    kind: z.literal('sent-index'),
    sendSeq: z.number().int(),
    hashes: z.number().int(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  z.object({
    kind: z.literal('refusal'),
    /** request: the whole send was refused; column: one column sent nothing; attempt: one key or endpoint was refused. */
    stage: z.enum(['request', 'column', 'attempt']),
    rule: RefusalRule,
    reason: z.string(),
    runId: z.string().nullable(),
    columnId: z.string().nullable(),
    targets: z.array(z.string()),
    provider: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('provider'),
    action: z.enum(['add', 'change', 'remove']),
    provider: z.string(),
    protocol: z.string(),
    host: z.string(),
    keys: z.array(KeyRefView),
    serves: z.number().int(),
    /** For a change: which fields differ from before. */
    changed: z.array(z.string()),
  }),
  z.object({
    kind: z.literal('key'),
    action: z.enum(['set', 'remove']),
    provider: z.string(),
    ref: KeyRefView,
  }),
  z.object({
    kind: z.literal('budget'),
    action: z.enum(['set', 'remove']),
    scope: z.string(),
    scopeValue: z.string(),
    period: z.string(),
    usd: z.number().nullable(),
    hard: z.boolean().nullable(),
    warnPct: z.number().nullable(),
  }),
  z.object({ kind: z.literal('run-delete'), runId: z.string() }),
  z.object({
    kind: z.literal('export'),
    what: z.enum(['runs', 'audit']),
    runIds: z.array(z.string()),
    format: z.string(),
    /** file, stdout or window (the desktop/browser download). */
    to: z.enum(['file', 'stdout', 'window']),
    entries: z.number().int().nullable(),
  }),
  z.object({
    kind: z.literal('audit-key'),
    /** A checkpoint signing key was created here. */
    keyName: z.string(),
    keyHash: z.string(),
    backend: z.string(),
  }),
]);
export type AuditBody = z.infer<typeof AuditBody>;
export type AuditKind = AuditBody['kind'];
export const AUDIT_KINDS = AuditBody.options.map((o) => o.shape.kind.value) as AuditKind[];

export interface Envelope {
  v: 1;
  seq: number;
  /** ISO 8601, milliseconds, UTC. */
  at: string;
  /** Hex leaf hash of entry seq - 1; null for the first. */
  prev: string | null;
}

export type AuditEntry = Envelope & AuditBody;

/** The canonical bytes of an entry (RFC 8785). */
export function encodeEntry(entry: Envelope & { kind: string }): Buffer {
  const text = canonicalize(entry);
  if (text === undefined) throw new Error('audit entry is not JSON');
  return Buffer.from(text, 'utf8');
}

/** The entry a row holds, or why not: used by verify to name what is wrong. */
export function decodeEntry(text: string): { ok: true; entry: Envelope & { kind: string } & Record<string, unknown>; canonical: boolean } | { ok: false; why: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, why: 'not an object' };
  const e = parsed as Record<string, unknown>;
  if (e.v !== 1 || typeof e.seq !== 'number' || typeof e.at !== 'string' || typeof e.kind !== 'string' || !(e.prev === null || typeof e.prev === 'string')) {
    return { ok: false, why: 'missing v, seq, at, prev or kind' };
  }
  return { ok: true, entry: e as Envelope & { kind: string } & Record<string, unknown>, canonical: canonicalize(e) === text };
}
