// Token counting with bounded work, shared by the token worker and tokens.ts.
// Plain JS so the worker runs it as is, from source and beside a bundle.
//
// gpt-tokenizer's merge step is quadratic in the length of one pre-token (a
// run of 100,000 identical letters takes seconds, 1 MB takes minutes). So the
// text is split with the encoder's own pre-tokenisation regex, every pre-token
// up to MAX_PIECE characters is merged exactly (the same count gpt-tokenizer
// gives), and a longer one counts as its UTF-8 byte length: every token covers
// at least one byte, so that is a sound upper bound, and the result says so.
// A deadline does the same for whatever text is left when it passes.
import { performance } from 'node:perf_hooks';

/** Longest pre-token merged exactly. Words, numbers, indentation and rules in real text stay far below. */
export const MAX_PIECE = 256;

// The UI re-estimates a long prompt at every pause in typing, and the text
// mostly changes at one place. A count remembers where it stood every
// MARK_EVERY characters (at piece boundaries), so the next count of a text
// sharing that prefix resumes there instead of starting over: after an edit
// only the changed tail is counted, and a count cut short by the deadline
// goes on from where it stopped. A piece's boundaries depend on at most a few
// characters past its end (the contraction suffix, a whitespace lookahead),
// so a mark is reused only when the texts agree LOOKAHEAD characters past it.
const MEMO_MIN = 64 * 1024;
const MARK_EVERY = 16 * 1024;
const LOOKAHEAD = 16;
const MEMOS = 4;

/** Thrown when the caller's cancel flag is raised mid-count. */
export class CountCancelled extends Error {
  constructor() {
    super('token count cancelled');
    this.name = 'CountCancelled';
  }
}

const PLAIN_TEXT = { disallowedSpecial: new Set() };

/**
 * What counting needs from a loaded encoding module: its split regex, its
 * vocabulary and its merge. They are gpt-tokenizer internals, so they are
 * used only after they give the public countTokens' answer on a sample;
 * otherwise each pre-token goes through the public countTokens (exact too:
 * a pre-token re-split on its own is the same single pre-token).
 */
export function counterFor(enc) {
  const core = enc?.default?.bytePairEncodingCoreProcessor;
  const split = core?.tokenSplitRegex;
  const ranks = core?.bytePairStringRankEncoder;
  const merge = typeof core?.bytePairEncode === 'function' ? (piece) => core.bytePairEncode(piece).length : null;
  const publicCount = (piece) => enc.countTokens(piece, PLAIN_TEXT);
  if (!(split instanceof RegExp) || !split.global) throw new Error('gpt-tokenizer: no pre-tokenisation regex found');
  const regex = new RegExp(split.source, split.flags);
  let pieceCount = publicCount;
  if (ranks instanceof Map && merge) {
    const fast = (piece) => (ranks.has(piece) ? 1 : merge(piece));
    const sample = "Hello, world! It's 2026: naïve café, 東京タワー 😀 <|endoftext|>\n\tif (x) { return y; }  ";
    try {
      if (countPieces(regex, sample, fast) === enc.countTokens(sample, PLAIN_TEXT)) pieceCount = fast;
    } catch {
      // keep the public path
    }
  }
  const memos = [];
  return (text, opts) => count(regex, text, pieceCount, opts, memos);
}

function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  const block = 4096;
  let i = 0;
  while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The furthest remembered mark still valid for `text`, with the marks before it. */
function resumePoint(memos, text) {
  let best = null;
  for (const m of memos) {
    const agree = m.text === text ? Infinity : commonPrefix(m.text, text);
    for (let k = m.marks.length - 1; k >= 0; k--) {
      const mark = m.marks[k];
      if (mark.at + LOOKAHEAD > agree) continue;
      if (!best || mark.at > best.mark.at) best = { mark, marks: m.marks.slice(0, k + 1) };
      break;
    }
  }
  return best;
}

function countPieces(regex, text, pieceCount) {
  let n = 0;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) n += pieceCount(m[0]);
  return n;
}

/**
 * @param {RegExp} regex the encoder's split regex (global)
 * @param {string} text
 * @param {(piece: string) => number} pieceCount exact count of one pre-token
 * @param {{ deadline?: number, cancelled?: () => boolean }} [opts] deadline in performance.now() ms
 * @returns {{ tokens: number, upperBound: boolean }}
 */
function count(regex, text, pieceCount, opts = {}, memos = null) {
  if (!text) return { tokens: 0, upperBound: false };
  const deadline = opts.deadline ?? Infinity;
  const cancelled = opts.cancelled;
  let tokens = 0;
  let upperBound = false;
  let sinceCheck = 0;
  let marks = null;
  regex.lastIndex = 0;
  if (memos && text.length >= MEMO_MIN) {
    const from = resumePoint(memos, text);
    marks = from ? from.marks : [];
    if (from) {
      if (from.mark.at === text.length) return { tokens: from.mark.tokens, upperBound: from.mark.upperBound };
      ({ tokens, upperBound } = from.mark);
      regex.lastIndex = from.mark.at;
    }
  }
  let lastMark = regex.lastIndex;
  let cut = false;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const piece = m[0];
    if (piece.length > MAX_PIECE) {
      tokens += Buffer.byteLength(piece, 'utf8');
      upperBound = true;
    } else {
      tokens += pieceCount(piece);
    }
    if (marks && regex.lastIndex - lastMark >= MARK_EVERY) {
      lastMark = regex.lastIndex;
      marks.push({ at: lastMark, tokens, upperBound });
    }
    // Checking the clock costs more than a short piece: look every 256 pieces, or after a long one.
    sinceCheck += piece.length > 32 ? 256 : 1;
    if (sinceCheck >= 256) {
      sinceCheck = 0;
      if (cancelled?.()) throw new CountCancelled();
      if (performance.now() > deadline && regex.lastIndex < text.length) {
        if (marks && regex.lastIndex > lastMark) marks.push({ at: regex.lastIndex, tokens, upperBound });
        tokens += Buffer.byteLength(text.slice(regex.lastIndex), 'utf8');
        upperBound = true;
        cut = true;
        break;
      }
    }
  }
  if (marks) {
    // A count cut by the deadline keeps its marks (the next one resumes there) but not its total.
    if (!cut) marks.push({ at: text.length, tokens, upperBound });
    memos.unshift({ text, marks });
    if (memos.length > MEMOS) memos.pop();
  }
  return { tokens, upperBound };
}
