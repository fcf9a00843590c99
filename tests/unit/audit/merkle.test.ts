/**
 * The RFC 9162 tree against the Certificate Transparency reference vectors
 * (RFC 6962's test leaves, as published in transparency-dev/merkle's testonly
 * data): roots of every size 0..8, audit paths and consistency proofs; then
 * every proof of every size up to 40 round-trips and nothing altered verifies.
 */
import { describe, expect, it } from 'vitest';
import { CompactRange, EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, rootOf, verifyConsistency, verifyInclusion } from '../../../electron/audit/merkle';

const unhex = (s: string) => Buffer.from(s, 'hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex).map(leafHash);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const INCLUSION: Array<[number, number, string[]]> = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

describe('RFC 9162 Merkle tree: reference vectors', () => {
  it('roots of the CT test leaves for every size 0..8', () => {
    expect(hex(EMPTY_ROOT)).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(hex(rootOf(LEAVES.slice(0, n))), `size ${n}`).toBe(ROOTS[n]);
  });

  it('audit paths equal the published ones and verify', () => {
    for (const [m, n, path] of INCLUSION) {
      const proof = inclusionProof(LEAVES, m, n);
      expect(proof.map(hex), `leaf ${m} of ${n}`).toEqual(path);
      expect(verifyInclusion(LEAVES[m]!, m, n, proof, unhex(ROOTS[n]!))).toBe(true);
    }
  });

  it('consistency proofs equal the published ones and verify', () => {
    for (const [m, n, path] of CONSISTENCY) {
      const proof = consistencyProof(LEAVES, m, n);
      expect(proof.map(hex), `${m} -> ${n}`).toEqual(path);
      expect(verifyConsistency(m, n, unhex(ROOTS[m]!), unhex(ROOTS[n]!), proof)).toBe(true);
    }
  });

  it('the split is at the largest power of two below n, not the midpoint (size 6 differs)', () => {
    const mid = (ls: Buffer[]): Buffer => (ls.length === 1 ? ls[0]! : Buffer.from(rootOf([mid(ls.slice(0, Math.ceil(ls.length / 2))), mid(ls.slice(Math.ceil(ls.length / 2)))])));
    expect(hex(rootOf(LEAVES.slice(0, 6)))).toBe(ROOTS[6]);
    expect(hex(mid(LEAVES.slice(0, 6)))).not.toBe(ROOTS[6]);
  });
});

describe('RFC 9162 Merkle tree: every size', () => {
  const many = Array.from({ length: 41 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

  it('every inclusion proof verifies, and a wrong index, leaf or root does not (the size is bound by the signed root, not the path)', () => {
    for (let n = 1; n < many.length; n++) {
      const root = rootOf(many, 0, n);
      for (let m = 0; m < n; m++) {
        const p = inclusionProof(many, m, n);
        expect(verifyInclusion(many[m]!, m, n, p, root)).toBe(true);
        if (n > 1) expect(verifyInclusion(many[m]!, (m + 1) % n, n, p, root)).toBe(false);
        expect(verifyInclusion(many[(m + 1) % many.length]!, m, n, p, root)).toBe(false);
        expect(verifyInclusion(many[m]!, m, n, p, rootOf(many, 0, n + 1))).toBe(false);
      }
    }
  });

  it('every consistency proof verifies, and a different old root, a shortened proof or another new root does not', () => {
    for (let n = 1; n < many.length; n++) {
      const root = rootOf(many, 0, n);
      for (let m = 1; m <= n; m++) {
        const old = rootOf(many, 0, m);
        const p = consistencyProof(many, m, n);
        expect(verifyConsistency(m, n, old, root, p), `${m} -> ${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, rootOf(many, 1, m + 1), root, p)).toBe(false);
          expect(verifyConsistency(m, n, old, root, p.slice(1))).toBe(false);
          expect(verifyConsistency(m, n, old, rootOf(many, 0, n + 1), p)).toBe(false);
        }
      }
    }
    expect(verifyConsistency(0, 5, EMPTY_ROOT, rootOf(many, 0, 5), [])).toBe(true);
  });

  it('the compact range gives MTH at every size, and survives a round trip through its blob', () => {
    const c = new CompactRange();
    for (let n = 1; n < many.length; n++) {
      c.append(many[n - 1]!);
      expect(hex(c.root())).toBe(hex(rootOf(many, 0, n)));
      const back = CompactRange.fromBlob(c.size, c.toBlob());
      expect(hex(back.root())).toBe(hex(c.root()));
    }
    // Continuing from a stored range equals building from scratch.
    const from = CompactRange.fromBlob(13, (() => {
      const x = new CompactRange();
      for (let i = 0; i < 13; i++) x.append(many[i]!);
      return x.toBlob();
    })());
    for (let i = 13; i < many.length; i++) from.append(many[i]!);
    expect(hex(from.root())).toBe(hex(rootOf(many)));
    expect(() => new CompactRange(5, [many[0]!])).toThrow(/has 2 hashes/);
  });
});
