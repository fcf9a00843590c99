import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderView } from '../../shared/contract';
import { keyStatus, ProviderList } from '../../renderer/components/ProviderList';

afterEach(cleanup);

const provider = (id: string, keys: ProviderView['keys']): ProviderView => ({ id, type: 'openai', baseUrl: 'http://127.0.0.1:9000/v1', keys, serves: [] });

function statusOf(p: ProviderView): HTMLElement {
  render(<ProviderList providers={[p]} tests={{}} onTest={() => undefined} onEdit={() => undefined} onRemove={() => undefined} />);
  return screen.getByTestId('provider-key-status');
}

describe('provider key status', () => {
  it('reads "no key", muted, for a provider saved without one on purpose', () => {
    expect(keyStatus([])).toBe('no key');
    const cell = statusOf(provider('ollama', []));
    expect(cell.textContent).toBe('no key');
    expect(cell.classList.contains('muted')).toBe(true);
    expect(cell.classList.contains('warn-text')).toBe(false);
  });

  it('still warns when a configured key is missing', () => {
    const cell = statusOf(provider('openai', [{ kind: 'env', label: 'OPENAI_API_KEY', set: false, last4: null }]));
    expect(cell.textContent).toBe('not set ($OPENAI_API_KEY)');
    expect(cell.classList.contains('warn-text')).toBe(true);
  });

  it('is plain when a key is there', () => {
    const cell = statusOf(provider('mock', [{ kind: 'env', label: 'MOCK_KEY', set: true, last4: null }]));
    expect(cell.classList.contains('warn-text')).toBe(false);
    expect(cell.classList.contains('muted')).toBe(false);
  });
});
