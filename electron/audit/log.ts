/**
 * The audit log: one append per decision or change, a signed checkpoint of the
 * tree head every CHECKPOINT_EVERY entries (and when asked: verify, export).
 *
 * An append is one small write transaction (canonical JSON, one SHA-256, one
 * indexed read of the previous leaf, one insert); the tree is not touched.
 * A checkpoint continues the compact range of the previous one with the new
 * leaves only, then signs (off the append, on a later turn of the event loop).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SentRequest } from '../engine/providers/types';
import type { Store } from '../store';
import type { CheckpointRow } from '../store/audit-repo';
import { UserError } from '../engine/errors';
import { encodeEntry, type AuditBody } from './entries';
import { CompactRange, leafHash } from './merkle';
import { checkpointText, signNote, type Signer } from './note';
import { signerKeyHash, type LoadedSigner } from './signer';
import { buildSentIndex, type SentIndex } from './sent-index';

export const CHECKPOINT_EVERY = 256;
const ORIGIN_SETTING = 'audit.origin';

/** What the engine needs of the log: appends, never reads. */
export interface AuditSink {
  append(body: AuditBody): void;
  /** A send's entry: the SHA-256 of the bytes posted, and the search index of what the body said. */
  recordSend(body: SendFacts, sent: SentRequest): void;
}

export type SendFacts = Omit<Extract<AuditBody, { kind: 'send' }>, 'requestSha256' | 'requestBytes'>;

export interface AuditLogOptions {
  /** Resolves the signing key; none: this log appends but never signs (checkpoints come from a process that can). */
  signer?: (() => Promise<LoadedSigner>) | undefined;
  checkpointEvery?: number;
  now?: () => number;
  /** An append that failed (a read-only data directory): said, never thrown into a send. */
  onError?: (message: string) => void;
}

export class AuditLog implements AuditSink {
  private signer: Promise<Signer> | null = null;
  private lastCheckpointSize: number | null = null;
  private checkpointing: Promise<unknown> | null = null;
  private readonly indexing = new Set<Promise<void>>();
  private readonly every: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly opts: AuditLogOptions = {},
  ) {
    this.every = opts.checkpointEvery ?? CHECKPOINT_EVERY;
    this.now = opts.now ?? Date.now;
  }

  /** `switchyard.local/audit/<random id>`, made once per data directory: the checkpoints' origin line. */
  origin(): string {
    const have = this.store.settings.get(ORIGIN_SETTING);
    if (have) return have;
    const made = `switchyard.local/audit/${randomBytes(8).toString('hex')}`;
    // A read-only data directory that never signed a checkpoint has no origin to keep, nor any to compare with.
    if (this.store.db.readonly) return made;
    this.store.settings.put(ORIGIN_SETTING, made);
    return this.store.settings.get(ORIGIN_SETTING) ?? made;
  }

  /** Appends one entry and returns its seq. Throws (unlike `append`) so a caller can say why. */
  write(body: AuditBody, sent?: { seq: number; salt: Buffer; hashes: Buffer }): number {
    const now = this.now();
    const at = new Date(now).toISOString();
    const seq = this.store.audit.append(
      now,
      body.kind,
      (seq, prev) => {
        const bytes = encodeEntry({ v: 1, seq, at, prev: prev ? prev.toString('hex') : null, ...body });
        return { text: bytes.toString('utf8'), leaf: leafHash(bytes) };
      },
      sent,
    );
    this.maybeCheckpoint(seq);
    return seq;
  }

  append(body: AuditBody): number | null {
    try {
      return this.write(body);
    } catch (err) {
      this.opts.onError?.(`audit: could not record the ${body.kind} entry: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  /**
   * The send's entry now (one SHA-256 of the bytes posted); the search index of
   * what its body said on a later turn, as an entry of its own: hashing every
   * piece of a long prompt is the costly part and must not sit in the append.
   */
  recordSend(body: SendFacts, sent: SentRequest): void {
    const requestSha256 = createHash('sha256').update(sent.bytes).digest('hex');
    const seq = this.append({ ...body, requestSha256, requestBytes: sent.bytes.byteLength });
    if (seq === null) return;
    const job = new Promise<void>((r) => setImmediate(r)).then(() => {
      let index: SentIndex;
      try {
        index = buildSentIndex(sent.body);
      } catch {
        // A body that cannot be walked keeps its send entry; only search-sent loses it.
        return;
      }
      try {
        this.write({ kind: 'sent-index', sendSeq: seq, hashes: index.count, sha256: index.sha256 }, { seq, salt: index.salt, hashes: index.hashes });
      } catch (err) {
        this.opts.onError?.(`audit: could not record the sent index of seq ${seq}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    this.indexing.add(job);
    void job.finally(() => this.indexing.delete(job));
  }

  /** Sends whose search index is still being built (search-sent reads after these). */
  async settled(): Promise<void> {
    await Promise.all([...this.indexing]);
  }

  private maybeCheckpoint(seq: number): void {
    if (!this.opts.signer || this.checkpointing) return;
    this.lastCheckpointSize ??= this.store.audit.latestCheckpoint()?.tree_size ?? 0;
    if (seq - this.lastCheckpointSize < this.every) return;
    // Signing may wait on a keychain: never inside the append that got here.
    this.checkpointing = new Promise<void>((r) => setImmediate(r))
      .then(() => this.checkpoint())
      .catch((err: unknown) => this.opts.onError?.(`audit: checkpoint failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.checkpointing = null));
  }

  private loadSigner(): Promise<Signer> {
    const source = this.opts.signer;
    if (!source) return Promise.reject(new UserError('no signing key here to write an audit checkpoint with'));
    this.signer ??= source().then(({ signer, created }) => {
      const hash = signerKeyHash(signer);
      const fresh = this.store.audit.putKey({ key_hash: hash, name: signer.name, public_key: signer.rawPublicKey, backend: signer.backend, created_at: this.now() });
      if (created || fresh) this.write({ kind: 'audit-key', keyName: signer.name, keyHash: hash, backend: signer.backend });
      return signer;
    });
    this.signer.catch(() => (this.signer = null));
    return this.signer;
  }

  /** The public key this process signs with (creating it if need be). */
  async publicSigner(): Promise<Signer> {
    return this.loadSigner();
  }

  /**
   * Signs the current tree head unless the latest checkpoint already covers it.
   * Refuses when the log is shorter than its latest checkpoint or its seqs have
   * a gap: signing that would hide the damage (`audit verify` names it).
   */
  async checkpoint(): Promise<CheckpointRow | null> {
    const signer = await this.loadSigner();
    const name = signer.name;
    const latest = this.store.audit.latestCheckpoint();
    const from = latest?.tree_size ?? 0;
    const range = latest ? CompactRange.fromBlob(latest.tree_size, latest.frontier) : new CompactRange();
    const leaves = this.store.audit.leavesAfter(from);
    const count = this.store.audit.count();
    if (count < from) throw new UserError(`the audit log has ${count} entries but its latest checkpoint covers ${from}: run switchyard audit verify`);
    if (leaves.length === 0 && latest) return latest;
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i]!.seq !== from + i + 1) throw new UserError(`the audit log has no entry seq ${from + i + 1}: run switchyard audit verify`);
      range.append(leaves[i]!.leaf_hash);
    }
    const root = range.root();
    const note = await signNote(checkpointText(this.origin(), range.size, root), signer);
    const row = { tree_size: range.size, root_hash: root, note, key_name: name, key_hash: signerKeyHash(signer), frontier: range.toBlob(), created_at: this.now() };
    this.store.audit.addCheckpoint(row);
    this.lastCheckpointSize = range.size;
    return this.store.audit.latestCheckpoint();
  }

  /** Waits for a checkpoint in flight (before the store closes). */
  async close(): Promise<void> {
    await this.settled();
    await this.checkpointing;
  }
}
