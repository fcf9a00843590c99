import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ColumnHeader, TARGET_CHARS } from '../../renderer/components/ColumnHeader';
import { columnHeader } from '../../renderer/lib/format';
import { shortenMiddle } from '../../renderer/lib/shorten';
import { column } from './helpers';

afterEach(cleanup);

describe('shortenMiddle', () => {
  it.each([
    // name, max, expected
    ['openai:gpt-4o-mini', 34, 'openai:gpt-4o-mini'],
    ['anthropic/claude-sonnet-4-20250514@bedrock', 36, 'anthropic/claude-…-20250514@bedrock'],
    ['anthropic/claude-sonnet-4-20250514@bedrock', 40, 'anthropic/claude-…-4-20250514@bedrock'],
    ['meta-llama/llama-3.1-405b-instruct-turbo', 30, 'meta-llama/llama-3.1-…-turbo'],
    ['together:meta-llama/Llama-3.3-70B-Instruct-Turbo-Free', 34, 'together:meta-llama/Llama-…-Free'],
    ['averyveryverylongmodelnamewithnoseparatorsatall', 20, 'averyveryverylongmo…'],
  ])('%s in %i chars: %s', (name, max, expected) => {
    const short = shortenMiddle(name, max);
    expect(short).toBe(expected);
    expect(short.length).toBeLessThanOrEqual(max);
  });

  it('keeps both ends even when they alone are longer than asked (the ends say what it is)', () => {
    const name = 'openrouter:some-lab/a-very-long-model-name-that-goes-on-20250101@somewhere-far';
    const short = shortenMiddle(name, 20);
    expect(short.startsWith('openrouter:')).toBe(true);
    expect(short).toBe('openrouter:…-20250101@somewhere-far');
    expect(short.length).toBeLessThan(name.length);
  });

  it('never returns a name longer than the original', () => {
    for (const name of ['a/b-c@d', 'x:y', 'lab/m-1', 'p:q-r@s']) for (let max = 1; max < 12; max++) expect(shortenMiddle(name, max).length).toBeLessThanOrEqual(name.length);
  });
});

describe('column header', () => {
  const target = 'anthropic/claude-sonnet-4-20250514@bedrock-with-a-long-suffix';
  it('puts the asked-for target first, the serving endpoint beneath, and the whole name in title and accessible name', () => {
    const c = column({ target, status: 'ok', servedBy: { provider: 'bedrock-with-a-long-suffix', model: 'anthropic.claude-sonnet-4-20250514-v1:0' }, text: 'hi' });
    render(<ColumnHeader index={0} target={target} view={columnHeader(c)} actions={{}} />);
    const t = screen.getByTestId('column-target');
    expect(t.textContent).toBe(shortenMiddle(target, TARGET_CHARS));
    expect(t.textContent!.length).toBeLessThan(target.length);
    expect(t.getAttribute('title')).toBe(target);
    expect(t.getAttribute('data-full')).toBe(target);
    expect(t.getAttribute('aria-label')).toBe(`column 1: ${target}`);
    expect(t.tabIndex).toBe(0);
    expect(screen.getByTestId('column-served-by').textContent).toBe('bedrock-with-a-long-suffix · anthropic.claude-sonnet-4-20250514-v1:0');
    // Target above endpoint, in document order.
    expect(t.compareDocumentPosition(screen.getByTestId('column-served-by')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('before anything serves it, beneath the target is the endpoint the plan tries first', () => {
    const plan = { id: 'p', primary: { provider: 'groq', model: 'meta/llama', upstream: 'llama-3.1-8b-instant' }, fallbacks: [] };
    const c = column({ target: 'meta/llama', status: 'running', servedBy: null, plan });
    render(<ColumnHeader index={0} target="meta/llama" view={columnHeader(c)} actions={{}} />);
    expect(screen.getByTestId('column-served-by').textContent).toBe('groq · llama-3.1-8b-instant');
    expect(screen.getByTestId('column-served-by').className).toContain('pending');
  });
});
