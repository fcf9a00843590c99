import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_PIECE } from '../../electron/engine/token-count.mjs';
import {
  CountAborted,
  MESSAGE_OVERHEAD,
  REPLY_PRIMING,
  countPromptForEstimate,
  countPromptTokens,
  countTokens,
  countTokensBatch,
  countTokensBounded,
  encodingFor,
  isExactFor,
  type EncodingName,
} from '../../electron/engine/tokens';

const JAPANESE = 'こんにちは世界';

describe('countTokens', () => {
  it('counts with o200k for modern models', () => {
    expect(countTokens('', 'openai/gpt-4o-mini')).toBe(0);
    expect(countTokens('Hello, world!', 'openai/gpt-4o-mini')).toBe(4);
    expect(countTokens('The quick brown fox jumps over the lazy dog.', 'gpt-4.1')).toBe(10);
    expect(countTokens(JAPANESE, 'openai/gpt-5')).toBe(2);
  });

  it('counts with cl100k for GPT-3.5 and GPT-4', () => {
    expect(countTokens(JAPANESE, 'openai/gpt-4')).toBe(4);
    expect(countTokens(JAPANESE, 'gpt-3.5-turbo')).toBe(4);
    expect(countTokens(JAPANESE, 'openai/gpt-4-turbo')).toBe(4);
  });

  it('estimates other labs with o200k, and with no model at all', () => {
    expect(countTokens(JAPANESE, 'anthropic/claude-sonnet-4-5')).toBe(2);
    expect(countTokens(JAPANESE)).toBe(2);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(countTokens('a <|endoftext|> b', 'openai/gpt-4o')).toBe(9);
  });
});

describe('encodingFor / isExactFor', () => {
  it('maps ids to encodings', () => {
    expect(encodingFor('openai/gpt-4o')).toBe('o200k_base');
    expect(encodingFor('openai/gpt-4.5-preview')).toBe('o200k_base');
    expect(encodingFor('gpt-4-0613')).toBe('cl100k_base');
    expect(encodingFor('openai/gpt-35-turbo')).toBe('cl100k_base');
    expect(encodingFor('openai/text-embedding-3-small')).toBe('cl100k_base');
    expect(encodingFor('meta/llama-3.3-70b-instruct')).toBe('o200k_base');
    expect(encodingFor(undefined)).toBe('o200k_base');
  });

  it('says when a count is only an estimate', () => {
    expect(isExactFor('openai/gpt-4o-mini')).toBe(true);
    expect(isExactFor('gpt-4o-mini')).toBe(true);
    expect(isExactFor('o3-mini')).toBe(true);
    expect(isExactFor('anthropic/claude-opus-4-1')).toBe(false);
    expect(isExactFor(null)).toBe(false);
  });
});

describe('countPromptTokens', () => {
  it('adds a per-message overhead and the reply priming', () => {
    expect(MESSAGE_OVERHEAD).toBe(4);
    expect(REPLY_PRIMING).toBe(3);
    // 3 + (4 + 2 "Be brief") + (4 + 1 "Hi")
    expect(countPromptTokens({ system: 'Be brief', messages: [{ role: 'user', content: 'Hi' }] })).toBe(14);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello, world!' }] })).toBe(3 + 5 + 8);
    expect(countPromptTokens({ system: '', messages: [] })).toBe(3);
  });
});

describe('loading', () => {
  it('does not load a BPE table until the first count', () => {
    // A fresh process, so no other test has loaded the tables already.
    const tokens = fileURLToPath(new URL('../../electron/engine/tokens.ts', import.meta.url));
    const script = `
      const { createRequire } = await import('node:module');
      const cache = createRequire(process.cwd() + '/').cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('gpt-tokenizer'));
      const m = await import(${JSON.stringify(tokens)});
      const before = loaded();
      m.countTokens('hello');
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ before: false, after: true });
  });
});

// gpt-tokenizer itself, unbounded: the reference every exact count must equal.
const require = createRequire(import.meta.url);
const reference = (name: EncodingName) => require(`gpt-tokenizer/cjs/encoding/${name}`) as { countTokens(t: string, o: object): number };
const trueCount = (text: string, name: EncodingName) => reference(name).countTokens(text, { disallowedSpecial: new Set() });
const MODEL: Record<EncodingName, string> = { o200k_base: 'openai/gpt-4o', cl100k_base: 'openai/gpt-4' };

const NORMAL: Record<string, string> = {
  prose: readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8'),
  code: readFileSync(fileURLToPath(new URL('../../electron/engine/estimate.ts', import.meta.url)), 'utf8'),
  cjk: '東京タワーは高い。日本語の文章です。中文也可以，한국어도 됩니다. 混合 text with English.\n',
  emoji: 'Ship it 🚀🚀 — 👍🏽👨‍👩‍👧‍👦 café naïve Ünïcödé ﬁ … ½ ² ∑ ∞ 😀\n',
  whitespace: 'a\n\n\n  b\t\t c   \r\n d' + ' '.repeat(100) + 'e\n' + '\t'.repeat(40) + 'end  ',
  numbers: '3.14159 1234567890 0x1F2E 1e-9 -42 +7 2026-12-03T13:15:30Z $1,234.56',
  specials: 'a <|endoftext|> b <|im_start|>user<|im_end|> <|fim_prefix|>',
  mixedCase: "It'S THE iPhone's HTTPServer parseJSON XMLHttpRequest don'T we'll I'M",
  markdown: '# Title\n\n- item\n- [link](https://example.com/a/b?c=d&e=f)\n\n```ts\nconst x = 1;\n```\n' + '-'.repeat(80) + '\n| a | b |\n|---|---|\n',
};

describe('bounded counting', () => {
  for (const name of ['o200k_base', 'cl100k_base'] as const) {
    it(`is exactly gpt-tokenizer's count on normal text (${name})`, () => {
      for (const [kind, text] of Object.entries(NORMAL)) {
        expect(countTokensBounded(text, MODEL[name]), kind).toEqual({ tokens: trueCount(text, name), upperBound: false });
      }
      const all = Object.values(NORMAL).join('\n');
      expect(countTokensBounded(all, MODEL[name])).toEqual({ tokens: trueCount(all, name), upperBound: false });
    });

    it(`bounds a run too long to merge, never below the true count, and says so (${name})`, () => {
      for (const text of ['a'.repeat(MAX_PIECE + 1), 'ab'.repeat(1500), `x ${'z'.repeat(3000)} y`, ' '.repeat(2000) + 'q', '中'.repeat(800), '='.repeat(1200)]) {
        const r = countTokensBounded(text, MODEL[name]);
        expect(r.upperBound, text.slice(0, 10)).toBe(true);
        expect(r.tokens).toBeGreaterThanOrEqual(trueCount(text, name));
        expect(r.tokens).toBeLessThanOrEqual(Buffer.byteLength(text));
      }
      // Just under the limit is still merged exactly.
      const edge = 'a'.repeat(MAX_PIECE);
      expect(countTokensBounded(edge, MODEL[name])).toEqual({ tokens: trueCount(edge, name), upperBound: false });
    });
  }

  it('returns at once on a megabyte of one character, counted as its bytes', () => {
    const text = 'a'.repeat(1_000_000);
    expect(countTokensBounded(text)).toEqual({ tokens: 1_000_000, upperBound: true });
    expect(countTokens('é'.repeat(500_000))).toBe(1_000_000);
  });

  it('past the deadline counts the rest as bytes: an upper bound, marked', () => {
    const text = NORMAL.prose!.repeat(3);
    const exact = trueCount(text, 'o200k_base');
    const late = countTokensBounded(text, null, { deadline: performance.now() - 1 });
    expect(late.upperBound).toBe(true);
    expect(late.tokens).toBeGreaterThan(exact);
    expect(late.tokens).toBeLessThanOrEqual(Buffer.byteLength(text));
  });
});

describe('counting on the worker', () => {
  const prompt = { system: NORMAL.code!, messages: [{ role: 'user', content: NORMAL.prose! }] };

  it('gives the same counts as in-process, per encoding, with the bound flag', async () => {
    const counts = await countPromptForEstimate(prompt, ['o200k_base', 'cl100k_base'], { budgetMs: 10_000 });
    expect(counts.get('o200k_base')).toEqual({ tokens: countPromptTokens(prompt), upperBound: false });
    expect(counts.get('cl100k_base')).toEqual({ tokens: countPromptTokens(prompt, 'openai/gpt-4'), upperBound: false });
    const long = await countPromptForEstimate({ messages: [{ role: 'user', content: 'a'.repeat(1_000_000) }] }, ['o200k_base'], { budgetMs: 10_000 });
    expect(long.get('o200k_base')).toEqual({ tokens: REPLY_PRIMING + MESSAGE_OVERHEAD + 1_000_000, upperBound: true });
    expect(await countTokensBatch(['Hello, world!', '', NORMAL.cjk!], 'openai/gpt-4o-mini')).toEqual([4, 0, trueCount(NORMAL.cjk!, 'o200k_base')]);
  });

  it('drops an aborted count, and the worker keeps serving the next', async () => {
    const ac = new AbortController();
    const stale = countPromptForEstimate(prompt, ['o200k_base'], { signal: ac.signal });
    ac.abort();
    await expect(stale).rejects.toBeInstanceOf(CountAborted);
    await expect(countPromptForEstimate(prompt, ['o200k_base'], { signal: ac.signal })).rejects.toBeInstanceOf(CountAborted);
    const fresh = await countPromptForEstimate(prompt, ['o200k_base'], { budgetMs: 10_000 });
    expect(fresh.get('o200k_base')!.tokens).toBe(countPromptTokens(prompt));
  });
});

describe('resuming a long count after an edit', () => {
  // Long enough to be remembered; real text so every count is exact.
  const base = (NORMAL.prose! + NORMAL.code! + NORMAL.cjk! + NORMAL.emoji! + NORMAL.whitespace! + NORMAL.mixedCase!).repeat(4);
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);

  it('stays exactly gpt-tokenizer\'s count for edits anywhere, including at piece boundaries', () => {
    expect(base.length).toBeGreaterThan(64 * 1024);
    let text = base;
    expect(countTokensBounded(text)).toEqual({ tokens: trueCount(text, 'o200k_base'), upperBound: false });
    const inserts = [' ', "'", "'ll", '\n', '  ', 'A', 'a', '1', '.', '中', '😀', "'S"];
    for (let i = 0; i < 24; i++) {
      const at = i % 3 === 0 ? text.length - rand(100) : rand(text.length);
      text = text.slice(0, at) + inserts[i % inserts.length] + text.slice(at + (i % 2));
      expect(countTokensBounded(text), `edit ${i} at ${at}`).toEqual({ tokens: trueCount(text, 'o200k_base'), upperBound: false });
    }
    // Typing at the end, one character at a time.
    for (const ch of "don't stop") {
      text += ch;
      expect(countTokensBounded(text)).toEqual({ tokens: trueCount(text, 'o200k_base'), upperBound: false });
    }
  });

  it('goes on from where a count cut by the deadline stopped, and becomes exact', () => {
    const text = base + ' the end';
    const exact = trueCount(text, 'cl100k_base');
    // Every count is already late: each gets a few hundred pieces further than the last, never back.
    let last = countTokensBounded(text, 'openai/gpt-4', { deadline: performance.now() - 1 });
    expect(last.upperBound).toBe(true);
    let calls = 1;
    while (last.upperBound && calls < 1000) {
      const next = countTokensBounded(text, 'openai/gpt-4', { deadline: performance.now() - 1 });
      expect(next.tokens).toBeLessThanOrEqual(last.tokens);
      expect(next.tokens).toBeGreaterThanOrEqual(exact);
      last = next;
      calls++;
    }
    expect(last).toEqual({ tokens: exact, upperBound: false });
    expect(calls).toBeGreaterThan(10);
    // An edit near the end keeps what was counted before it.
    const edited = text.slice(0, -3) + 'END';
    expect(countTokensBounded(edited, 'openai/gpt-4', { deadline: performance.now() - 1 })).toEqual({ tokens: trueCount(edited, 'cl100k_base'), upperBound: false });
  });
});
