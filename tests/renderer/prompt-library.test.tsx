/**
 * The Library's fill-in form and its shortcut: one field per variable, the
 * first focused, Enter inserting, every blank field marked at once; Ctrl+L
 * opening the library from any view.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SavedPrompt } from '../../shared/contract';
import { PromptFill } from '../../renderer/components/PromptFill';
import { createAppStore } from '../../renderer/store';
import { handleShortcut } from '../../renderer/shortcuts';
import { fakeClient, manualFrames } from './helpers';

afterEach(cleanup);

const saved = (over: Partial<SavedPrompt> = {}): SavedPrompt => ({
  id: 'p1', name: 'explain', kind: 'prompt', body: 'Explain {{ topic }} to {{audience}} ({{ topic }})', variables: ['topic', 'audience'],
  createdAt: 1, updatedAt: 1, lastUsedAt: null, ...over,
});

const field = (name: string) => document.querySelector<HTMLInputElement>(`[data-testid="library-var"][data-var="${name}"]`)!;

describe('PromptFill', () => {
  it('focuses the first field, marks every blank one on Enter, and inserts the filled text once all are given', () => {
    const onFilled = vi.fn();
    render(<PromptFill prompt={saved()} onFilled={onFilled} onBack={() => {}} />);
    expect(document.activeElement).toBe(field('topic'));
    fireEvent.submit(screen.getByTestId('library-fill'));
    expect(onFilled).not.toHaveBeenCalled();
    expect(screen.getByTestId('library-fill-error').textContent).toBe('Missing 2 values: topic, audience');
    expect(field('topic').getAttribute('aria-invalid')).toBe('true');
    expect(field('audience').getAttribute('aria-invalid')).toBe('true');

    // A value typed clears its mark; a field of spaces is still blank.
    fireEvent.change(field('topic'), { target: { value: 'tides {{audience}}' } });
    fireEvent.change(field('audience'), { target: { value: '   ' } });
    expect(field('topic').getAttribute('aria-invalid')).toBeNull();
    fireEvent.submit(screen.getByTestId('library-fill'));
    expect(screen.getByTestId('library-fill-error').textContent).toBe('Missing a value: audience');
    expect(document.activeElement).toBe(field('audience'));

    fireEvent.change(field('audience'), { target: { value: 'kids' } });
    fireEvent.submit(screen.getByTestId('library-fill'));
    expect(onFilled).toHaveBeenCalledWith('Explain tides {{audience}} to kids (tides {{audience}})');
  });
});

describe('the library in the store', () => {
  it('Ctrl+L opens it from another view and loads the list; a picked system prompt goes into the system prompt', async () => {
    const fake = fakeClient();
    fake.calls.prompts!.listPrompts!.mockResolvedValue([saved()]);
    fake.calls.prompts!.markUsed!.mockResolvedValue({ ok: true });
    const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
    store.getState().setView('history');
    const e = new KeyboardEvent('keydown', { key: 'l', code: 'KeyL', ctrlKey: true });
    expect(handleShortcut(e, store)).toBe(true);
    expect(store.getState().view).toBe('compare');
    expect(store.getState().libraryOpen).toBe(true);
    await vi.waitFor(() => expect(store.getState().savedPrompts).toHaveLength(1));

    store.getState().setDraft({ prompt: 'kept' });
    store.getState().applyPrompt(saved({ id: 's1', kind: 'system', body: 'You are terse.', variables: [] }), 'You are terse.');
    expect(store.getState().draft).toMatchObject({ prompt: 'kept', system: 'You are terse.' });
    expect(store.getState().prefs.systemOpen).toBe(true);
    expect(store.getState().libraryOpen).toBe(false);
    expect(fake.calls.prompts!.markUsed).toHaveBeenCalledWith({ id: 's1' });
  });
});
