/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2), §2.1: leaf =
 * SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right), and a tree of
 * n leaves split at the largest power of two smaller than n. Inclusion and
 * consistency proofs (§2.1.3, §2.1.4) with their verifiers, and the compact
 * range (the right edge's perfect subtrees) that lets a tree head grow by its
 * new leaves alone.
 *
 * Sizes and indexes are JavaScript numbers: exact up to 2^53, and the bit
 * operations are done with arithmetic (JS's `>>` is 32-bit).
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export function leafHash(entry: Uint8Array): Hash {
  return createHash('sha256').update(LEAF).update(entry).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes. */
export function rootOf(leaves: readonly Hash[], lo = 0, hi = leaves.length): Hash {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = splitPoint(n);
  return nodeHash(rootOf(leaves, lo, lo + k), rootOf(leaves, lo + k, hi));
}

/** PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves. */
export function inclusionProof(leaves: readonly Hash[], m: number, n = leaves.length): Hash[] {
  if (!(m >= 0 && m < n && n <= leaves.length)) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
  const path = (m: number, lo: number, hi: number): Hash[] => {
    const size = hi - lo;
    if (size === 1) return [];
    const k = splitPoint(size);
    return m < k ? [...path(m, lo, lo + k), rootOf(leaves, lo + k, hi)] : [...path(m - k, lo + k, hi), rootOf(leaves, lo, lo + k)];
  };
  return path(m, 0, n);
}

/** PROOF(m, D[n]): proves the tree of the first m leaves is a prefix of the tree of n. */
export function consistencyProof(leaves: readonly Hash[], m: number, n = leaves.length): Hash[] {
  if (!(m >= 0 && m <= n && n <= leaves.length)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): Hash[] => {
    const size = hi - lo;
    if (m === size) return whole ? [] : [rootOf(leaves, lo, hi)];
    const k = splitPoint(size);
    return m <= k ? [...sub(m, lo, lo + k, whole), rootOf(leaves, lo + k, hi)] : [...sub(m - k, lo + k, hi, false), rootOf(leaves, lo, lo + k)];
  };
  return sub(m, 0, n, true);
}

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.compare(Buffer.from(r), Buffer.from(root)) === 0;
}

/** RFC 9162 §2.1.4.2: the tree of `first` leaves with root `firstRoot` is a prefix of the tree of `second` with `secondRoot`. */
export function verifyConsistency(first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  if (first < 0 || second < first) return false;
  if (first === second) return proof.length === 0 && eq(firstRoot, secondRoot);
  // The empty tree is a prefix of every tree; no proof is needed or allowed.
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return eq(fr, firstRoot) && eq(sr, secondRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * The compact range of a tree: the roots of its perfect subtrees from the left,
 * largest first (one per set bit of the size). Appending a leaf merges equal
 * sizes; the root is their right-to-left fold, which is MTH for any size.
 *
 * @example const c = new CompactRange(); c.append(leafHash(a)); c.append(leafHash(b)); c.root() // MTH({a, b})
 */
export class CompactRange {
  private readonly nodes: Array<{ size: number; hash: Hash }>;
  constructor(
    public size = 0,
    hashes: readonly Hash[] = [],
  ) {
    const sizes = subtreeSizes(size);
    if (sizes.length !== hashes.length) throw new Error(`a compact range of size ${size} has ${sizes.length} hashes, not ${hashes.length}`);
    this.nodes = sizes.map((s, i) => ({ size: s, hash: hashes[i]! }));
  }

  append(leaf: Hash): void {
    let node = { size: 1, hash: leaf };
    while (this.nodes.length && this.nodes.at(-1)!.size === node.size) {
      const left = this.nodes.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.nodes.push(node);
    this.size++;
  }

  root(): Hash {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let r = this.nodes.at(-1)!.hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i]!.hash, r);
    return r;
  }

  hashes(): Hash[] {
    return this.nodes.map((n) => n.hash);
  }

  /** The hashes concatenated, 32 bytes each: how a checkpoint row keeps them. */
  toBlob(): Buffer {
    return Buffer.concat(this.hashes());
  }

  static fromBlob(size: number, blob: Buffer): CompactRange {
    const hashes: Hash[] = [];
    for (let i = 0; i < blob.length; i += 32) hashes.push(blob.subarray(i, i + 32));
    return new CompactRange(size, hashes);
  }
}

/** The sizes of the perfect subtrees a tree of n leaves decomposes into, largest first. */
function subtreeSizes(n: number): number[] {
  const out: number[] = [];
  let bit = 1;
  while (bit * 2 <= n) bit *= 2;
  for (let left = n; bit >= 1; bit /= 2) {
    if (left >= bit) {
      out.push(bit);
      left -= bit;
    }
  }
  return out;
}
