/**
 * Where to cut a recorded body so that each place a parser can go wrong lands
 * on a read boundary: inside a UTF-8 character, inside `data:`/`event:`,
 * between the `\r` and `\n` of a CRLF, between the two newlines ending an
 * event, inside the JSON of an event, inside `[DONE]`.
 */
import { seeded as prng } from '../../support/prng';

export type CutKind = 'utf8' | 'field-name' | 'cr-lf' | 'lf-lf' | 'json' | 'done';

export interface Cut {
  kind: CutKind;
  /** Byte offset: the first piece ends before it. */
  at: number;
}

export interface Split {
  name: string;
  /** Sorted, unique offsets strictly inside the body. */
  cuts: number[];
}

// A handful of each kind is enough; every byte boundary is covered by the bytewise split anyway.
const PER_KIND = 6;

export function awkwardCuts(body: Uint8Array): Cut[] {
  const cuts: Cut[] = [];
  const add = (kind: CutKind, at: number): void => {
    if (at > 0 && at < body.length && cuts.filter((c) => c.kind === kind).length < PER_KIND * 2) cuts.push({ kind, at });
  };
  // Inside each multi-byte character (continuation bytes are 10xxxxxx).
  let chars = 0;
  for (let i = 1; i < body.length && chars < PER_KIND; i++) {
    if ((body[i]! & 0xc0) === 0x80) {
      add('utf8', i);
      if (i + 1 >= body.length || (body[i + 1]! & 0xc0) !== 0x80) chars++;
    }
  }
  const text = Buffer.from(body).toString('latin1');
  const each = (needle: string, f: (index: number) => void): void => {
    for (let i = text.indexOf(needle), n = 0; i !== -1 && n < PER_KIND; i = text.indexOf(needle, i + 1), n++) f(i);
  };
  each('data:', (i) => [1, 2, 4, 5].forEach((k) => add('field-name', i + k)));
  each('event:', (i) => [3, 6].forEach((k) => add('field-name', i + k)));
  each('\r\n', (i) => add('cr-lf', i + 1));
  each('\n\n', (i) => add('lf-lf', i + 1));
  // Mid-JSON: inside a key, inside a value string, and between `\` and the character it escapes.
  each('{"', (i) => add('json', i + 3));
  each('":"', (i) => add('json', i + 5));
  each('\\"', (i) => add('json', i + 1));
  each('[DONE]', (i) => add('done', i + 3));
  return cuts;
}


const sortedUnique = (cuts: number[], length: number): number[] =>
  [...new Set(cuts)].filter((c) => c > 0 && c < length).sort((a, b) => a - b);

/**
 * The splits to replay a body with: whole; every byte its own read (for bodies up to
 * `bytewiseMax`); each awkward cut alone; all of them at once; and `seeded` random ones.
 */
export function splitsFor(body: Uint8Array, opts: { seed: number; seeded?: number; bytewiseMax?: number }): Split[] {
  const length = body.length;
  const splits: Split[] = [{ name: 'whole', cuts: [] }];
  if (length <= (opts.bytewiseMax ?? 8192)) splits.push({ name: 'bytewise', cuts: Array.from({ length: length - 1 }, (_, i) => i + 1) });
  const awkward = awkwardCuts(body);
  for (const c of awkward) splits.push({ name: `${c.kind}@${c.at}`, cuts: [c.at] });
  if (awkward.length > 1) splits.push({ name: 'all-awkward', cuts: sortedUnique(awkward.map((c) => c.at), length) });
  const random = prng(opts.seed);
  for (let s = 0; s < (opts.seeded ?? 6); s++) {
    const n = 1 + Math.floor(random() * 24);
    const cuts = sortedUnique(Array.from({ length: n }, () => 1 + Math.floor(random() * (length - 1))), length);
    splits.push({ name: `seed${opts.seed}#${s}`, cuts });
  }
  return splits;
}

export function piecesOf(body: Uint8Array, cuts: number[]): Uint8Array[] {
  const bounds = [0, ...cuts, body.length];
  return bounds.slice(1).map((end, i) => body.subarray(bounds[i]!, end));
}
