/**
 * Wire conformance beyond our own mock: bodies transcribed from each provider's
 * published streams (tests/fixtures/wire/README.md) are served byte for byte by
 * a loopback server, cut at awkward places, through the real adapters and fetch.
 * Every split must give the outcome written down by hand in conformance-cases.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/engine/providers';
import type { AdapterRequest, StreamSink } from '../../../electron/engine/providers/types';
import type { ProviderType } from '../../../shared/domain';
import { startReplayServer, type ReplayServer } from '../../mocks/replay-server';
import { CASES, type WireCase, type WireExpected } from './conformance-cases';
import { awkwardCuts, piecesOf, splitsFor, type CutKind } from './wire-splits';

const FIXTURES = fileURLToPath(new URL('../../fixtures/wire', import.meta.url));
const MODEL: Record<ProviderType, string> = { openai: 'gpt-4o-2024-08-06', anthropic: 'claude-opus-4-8', gemini: 'gemini-2.0-flash' };

let replay: ReplayServer;
beforeAll(async () => {
  replay = await startReplayServer();
});
afterAll(async () => {
  await replay.close();
});

const bodyOf = (c: WireCase): Buffer => readFileSync(join(FIXTURES, c.provider, c.file));
const isStream = (c: WireCase): boolean => (c.status ?? 200) < 300;

function request(provider: ProviderType): AdapterRequest {
  return {
    baseUrl: replay.url,
    apiKey: 'sk-conformance-0000',
    model: MODEL[provider],
    messages: [{ role: 'user', content: 'hi' }],
    params: {},
    signal: new AbortController().signal,
  };
}

interface Replayed {
  outcome: WireExpected;
  reads: number;
}

/** One request: the body cut at `cuts`, each piece its own read; returns what the adapter reported. */
async function replayOnce(c: WireCase, body: Buffer, cuts: number[]): Promise<Replayed> {
  const handle = replay.serve({
    status: c.status ?? 200,
    headers: c.headers ?? { 'content-type': 'text/event-stream' },
    pieces: piecesOf(body, cuts),
    // An error body is read whole (res.text()), so no read is reported to pace it by.
    pace: isStream(c) ? 'reads' : 'writes',
  });
  const text: string[] = [];
  const reasoning: string[] = [];
  let reads = 0;
  const sink: StreamSink = {
    onText: (d) => text.push(d),
    onReasoning: (d) => reasoning.push(d),
    onChunk: () => {
      reads++;
      handle.advance();
    },
  };
  const out = await getAdapter(c.provider).stream(request(c.provider), sink);
  // After the terminal event the adapter drains the rest without counting reads.
  handle.finish();
  const { status, finishReason, usage, httpStatus, error, toolCalls } = out;
  return { outcome: { status, finishReason, usage, httpStatus: httpStatus!, error, text, reasoning, ...(toolCalls ? { toolCalls } : {}) }, reads };
}

describe.each(CASES)('$provider/$file', (c) => {
  it('gives the outcome written down from the fixture, for every split', async () => {
    const body = bodyOf(c);
    // Every stopping event is a stream's last, so all pieces before it must have been separate reads.
    const lastEvent = body.lastIndexOf('data:');
    const seed = [...c.file].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
    const splits = splitsFor(body, { seed });
    for (const split of splits) {
      const { outcome, reads } = await replayOnce(c, body, split.cuts);
      expect(outcome, `${c.provider}/${c.file} split ${split.name}`).toEqual(c.expected);
      if (isStream(c)) {
        const piecesBeforeLast = split.cuts.filter((at) => at <= lastEvent).length + 1;
        expect(reads, `reads for split ${split.name}`).toBeGreaterThanOrEqual(piecesBeforeLast);
      }
    }
  });
});

describe('a body cut short after its last line', () => {
  // The policy: a last event whose blank line never came still counts once its line has ended.
  // The SSE spec lets a line end in a bare CR, which the parser holds back in case an LF follows.
  const c = CASES.find((k) => k.provider === 'gemini' && k.file === 'max-tokens.txt')!;
  const full = bodyOf(c);
  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
  ])('counts the last event when the line ends in %s', async (_name, ending) => {
    const body = Buffer.concat([full.subarray(0, full.lastIndexOf('\r\n\r\n')), Buffer.from(ending)]);
    for (const split of splitsFor(body, { seed: 11, seeded: 3, bytewiseMax: 0 })) {
      const { outcome } = await replayOnce(c, body, split.cuts);
      expect(outcome, `split ${split.name}`).toEqual(c.expected);
    }
  });
});

describe('the splits', () => {
  it('land on every kind of awkward boundary somewhere in the fixtures', () => {
    const kinds = new Set<CutKind>(CASES.flatMap((c) => awkwardCuts(bodyOf(c)).map((cut) => cut.kind)));
    expect([...kinds].sort()).toEqual(['cr-lf', 'done', 'field-name', 'json', 'lf-lf', 'utf8']);
  });

  it('cut inside the multi-byte characters and CRLF pairs where the fixtures have them', () => {
    const kindsOf = (provider: ProviderType, file: string): CutKind[] =>
      awkwardCuts(bodyOf(CASES.find((c) => c.provider === provider && c.file === file)!)).map((cut) => cut.kind);
    expect(kindsOf('anthropic', 'doc-thinking.txt')).toContain('utf8');
    expect(kindsOf('gemini', 'thinking.txt')).toContain('utf8');
    for (const c of CASES.filter((k) => k.provider === 'gemini' && isStream(k))) expect(kindsOf(c.provider, c.file)).toContain('cr-lf');
  });

  it('cut a 4-byte character at each of its three inner boundaries', () => {
    const body = bodyOf(CASES.find((c) => c.file === 'thinking.txt' && c.provider === 'gemini')!);
    const at = body.indexOf(Buffer.from('🧮'));
    const utf8 = awkwardCuts(body).filter((cut) => cut.kind === 'utf8').map((cut) => cut.at);
    expect(utf8).toEqual(expect.arrayContaining([at + 1, at + 2, at + 3]));
  });
});
