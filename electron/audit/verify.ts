/**
 * `audit verify`: recompute everything from the entries as stored and say what
 * does not hold, naming the entry (seq) wherever the evidence allows.
 *
 * - each row: valid canonical JSON, its own seq, its stored leaf hash, and the
 *   previous entry's leaf hash in `prev` (an entry edited together with its own
 *   hash is named by the next entry's link);
 * - seqs 1..n without a gap (a removed entry is named);
 * - every stored checkpoint: its signature by a key recorded here, its origin,
 *   and its root against the tree recomputed at its size (a truncated tail is
 *   named as the seqs the checkpoint covered that are gone);
 * - an older checkpoint given from elsewhere: its signature, then an RFC 9162
 *   consistency proof from its size to today's tree, checked by the verifier.
 */
import type { AuditKeyRow, AuditRow, CheckpointRow } from '../store/audit-repo';
import { decodeEntry } from './entries';
import { CompactRange, consistencyProof, leafHash, rootOf, verifyConsistency, type Hash } from './merkle';
import { keyHash, parseCheckpointText, parseNote, verifyNote, type Checkpoint } from './note';

export interface Problem {
  /** The entry it is about, when one can be named. */
  seq: number | null;
  message: string;
}

export interface ExternalCheck {
  size: number;
  /** Key name and hash that signed it, or null when no known key did. */
  signedBy: string | null;
  consistent: boolean;
  proof: string[];
}

export interface VerifyReport {
  ok: boolean;
  origin: string;
  entries: number;
  /** Size and root (hex) of the tree recomputed from the entries. */
  size: number;
  root: string;
  checkpointsChecked: number;
  problems: Problem[];
  external: ExternalCheck | null;
}

const range = (a: number, b: number) => (a === b ? `seq ${a}` : `seq ${a}–${b}`);

function checkEntries(rows: AuditRow[], problems: Problem[]): Hash[] {
  const leaves: Hash[] = [];
  let expected = 1;
  let prevLeaf: Hash | null = null;
  let prevSeq = 0;
  for (const row of rows) {
    if (row.seq > expected) {
      problems.push({ seq: expected, message: `${range(expected, row.seq - 1)} missing: removed from the log` });
      prevLeaf = null;
    }
    expected = row.seq + 1;
    const leaf = leafHash(Buffer.from(row.entry, 'utf8'));
    leaves.push(leaf);
    const d = decodeEntry(row.entry);
    if (!d.ok) {
      problems.push({ seq: row.seq, message: `seq ${row.seq}: entry is ${d.why}: edited` });
    } else {
      if (!d.canonical) problems.push({ seq: row.seq, message: `seq ${row.seq}: entry is not in canonical form: edited` });
      if (d.entry.seq !== row.seq) problems.push({ seq: row.seq, message: `seq ${row.seq} holds the entry written as seq ${d.entry.seq}: entries reordered or moved` });
      // Across a gap there is no neighbour to compare with; the gap is already named.
      if (prevLeaf !== null && prevSeq === row.seq - 1 && d.entry.prev !== prevLeaf.toString('hex')) {
        problems.push({ seq: prevSeq, message: `seq ${prevSeq}: entry changed after seq ${row.seq} was written (seq ${row.seq} links to a different entry)` });
      }
    }
    if (!leaf.equals(row.leaf_hash)) problems.push({ seq: row.seq, message: `seq ${row.seq}: entry edited (its bytes no longer hash to the leaf recorded with it)` });
    prevLeaf = leaf;
    prevSeq = row.seq;
  }
  return leaves;
}

function knownKey(keys: AuditKeyRow[], parsed: NonNullable<ReturnType<typeof parseNote>>): AuditKeyRow | null {
  for (const k of keys) if (verifyNote(parsed, k.name, k.public_key)) return k;
  return null;
}

/** Roots at each wanted size in one pass over the leaves. */
function rootsAt(leaves: Hash[], sizes: number[]): Map<number, Hash> {
  const want = [...new Set(sizes)].filter((s) => s <= leaves.length).sort((a, b) => a - b);
  const out = new Map<number, Hash>();
  const c = new CompactRange();
  let i = 0;
  for (const s of want) {
    while (c.size < s) c.append(leaves[i++]!);
    out.set(s, c.root());
  }
  return out;
}

export function verifyLog(input: { origin: string; rows: AuditRow[]; checkpoints: CheckpointRow[]; keys: AuditKeyRow[]; external?: string | null }): VerifyReport {
  const problems: Problem[] = [];
  const rows = input.rows;
  const leaves = checkEntries(rows, problems);
  const lastSeq = rows.at(-1)?.seq ?? 0;
  const roots = rootsAt(leaves, input.checkpoints.map((c) => c.tree_size));
  let goodBelow = 0;
  for (const cp of input.checkpoints) {
    const parsed = parseNote(cp.note);
    const head = parsed && parseCheckpointText(parsed.text);
    const where = `checkpoint of ${cp.tree_size} entries (${new Date(cp.created_at).toISOString()})`;
    if (!parsed || !head) {
      problems.push({ seq: null, message: `${where}: not a signed checkpoint note` });
      continue;
    }
    if (!knownKey(input.keys, parsed)) problems.push({ seq: null, message: `${where}: its signature does not verify with any audit key recorded here` });
    if (head.origin !== input.origin) problems.push({ seq: null, message: `${where}: signed for another log (${head.origin})` });
    if (head.size !== cp.tree_size || !head.root.equals(cp.root_hash)) problems.push({ seq: null, message: `${where}: its row does not match its signed note` });
    if (head.size > leaves.length) {
      // Fewer leaves than the checkpoint covered: a cut tail, or a gap already named above.
      if (head.size > lastSeq) problems.push({ seq: lastSeq + 1, message: `${range(lastSeq + 1, head.size)} missing: the log was truncated (a checkpoint covered ${head.size} entries, ${rows.length} remain)` });
      continue;
    }
    const root = roots.get(head.size) ?? rootOf(leaves, 0, head.size);
    if (!root.equals(head.root)) {
      const named = problems.some((p) => p.seq !== null && p.seq <= head.size);
      if (!named) problems.push({ seq: goodBelow + 1, message: `${where}: the entries no longer hash to its root: an entry in ${range(goodBelow + 1, head.size)} was changed` });
    } else goodBelow = Math.max(goodBelow, head.size);
  }
  const external = input.external ? checkExternal(input.external, input.keys, input.origin, leaves, rows.length, lastSeq, problems) : null;
  const seen = new Set<string>();
  const unique = problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
  unique.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return {
    ok: unique.length === 0,
    origin: input.origin,
    entries: rows.length,
    size: leaves.length,
    root: rootOf(leaves).toString('hex'),
    checkpointsChecked: input.checkpoints.length,
    problems: unique,
    external,
  };
}

/** A checkpoint file: a bare signed note, or an `audit export` file (its checkpoint line). */
export function noteFromFile(text: string): string | null {
  if (parseNote(text)) return text;
  for (const line of text.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const v = JSON.parse(line) as { type?: unknown; note?: unknown };
      if (v.type === 'checkpoint' && typeof v.note === 'string') return v.note;
    } catch {
      // Not a line of an export.
    }
  }
  return null;
}

function checkExternal(file: string, keys: AuditKeyRow[], origin: string, leaves: Hash[], count: number, lastSeq: number, problems: Problem[]): ExternalCheck {
  const note = noteFromFile(file);
  const parsed = note ? parseNote(note) : null;
  const head: Checkpoint | null = parsed ? parseCheckpointText(parsed.text) : null;
  if (!parsed || !head) {
    problems.push({ seq: null, message: 'the checkpoint file holds no signed checkpoint note' });
    return { size: 0, signedBy: null, consistent: false, proof: [] };
  }
  const key = knownKey(keys, parsed);
  const signedBy = key ? `${key.name}+${keyHash(key.name, key.public_key).toString('hex')}` : null;
  if (!key) problems.push({ seq: null, message: 'the checkpoint file: its signature does not verify with any audit key recorded here' });
  if (head.origin !== origin) problems.push({ seq: null, message: `the checkpoint file is of another log (${head.origin}, this is ${origin})` });
  if (head.size > leaves.length) {
    if (head.size > lastSeq) problems.push({ seq: lastSeq + 1, message: `${range(lastSeq + 1, head.size)} missing: the log was truncated (the checkpoint file covers ${head.size} entries, ${count} remain)` });
    return { size: head.size, signedBy, consistent: false, proof: [] };
  }
  const proof = consistencyProof(leaves, head.size, leaves.length);
  const consistent = verifyConsistency(head.size, leaves.length, head.root, rootOf(leaves), proof);
  if (!consistent) {
    const named = problems.some((p) => p.seq !== null && p.seq <= head.size);
    if (!named) problems.push({ seq: 1, message: `the log is not an extension of the checkpoint file's ${head.size} entries: an entry in ${range(1, head.size)} was changed` });
  }
  return { size: head.size, signedBy, consistent, proof: proof.map((h) => h.toString('hex')) };
}
