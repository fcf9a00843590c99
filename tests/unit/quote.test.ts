import { describe, expect, it } from 'vitest';
import { boundedLine, MAX_ERROR_LINE, quote } from '../../shared/quote';
import { parseTarget } from '../../shared/targets';

describe('quote', () => {
  it('quotes a short value as is', () => {
    expect(quote('openai:gpt-4o')).toBe('"openai:gpt-4o"');
    expect(quote('')).toBe('""');
  });

  it('cuts a long value to a prefix and says how long it was', () => {
    expect(quote('x'.repeat(100_000))).toBe(`"${'x'.repeat(60)}…" (100000 chars)`);
    expect(quote('abcdef', 3)).toBe('"abc…" (6 chars)');
  });

  it('counts and cuts whole code points, never half a surrogate pair', () => {
    expect(quote('🙂🙂🙂', 2)).toBe('"🙂🙂…" (3 chars)');
  });

  it('escapes what would break the line or fool the terminal', () => {
    expect(quote('a\nb\u0000c"d\u202ee')).toBe('"a\\nb\\u0000c\\"d\\u202ee"');
  });
});

describe('boundedLine', () => {
  it('folds lines and bounds the length', () => {
    expect(boundedLine('one\n  two\r\nthree')).toBe('one two three');
    const long = boundedLine('y'.repeat(10_000));
    expect(long).toBe(`${'y'.repeat(MAX_ERROR_LINE)}… (${10_000 - MAX_ERROR_LINE} more chars)`);
  });
});

describe('target errors', () => {
  it('quote a short prefix of a huge target: one line of bounded length', () => {
    let message = '';
    try {
      parseTarget(`${'a'.repeat(100_000)}:`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^malformed target "a{60}…" \(100001 chars\): /);
    expect(message.length).toBeLessThan(300);
  });
});
