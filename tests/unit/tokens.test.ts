import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MESSAGE_OVERHEAD, REPLY_PRIMING, countPromptTokens, countTokens, encodingFor, isExactFor } from '../../electron/engine/tokens';

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
