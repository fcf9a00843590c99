/**
 * Attaching files in the compare view: the picker, a drop on the prompt and a
 * paste into it each upload through the contract and add a chip; a chip's
 * button removes it; the draft (and so the request) carries the references.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttachmentRef } from '../../shared/attachments';
import { createAppStore, StoreContext } from '../../renderer/store';
import { draftToRequest, emptyDraft, requestToDraft } from '../../renderer/store/draft';
import { CompareView } from '../../renderer/views/CompareView';
import { fakeClient, manualFrames } from './helpers';

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function refFor(name: string, dataBase64: string): AttachmentRef {
  const mime = name.endsWith('.png') ? 'image/png' : name.endsWith('.pdf') ? 'application/pdf' : 'text/plain';
  // A distinct fake hash per content, as the engine's sha256 would be.
  const hash = Array.from(dataBase64).reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1e15, 7).toString(16).padStart(64, '0');
  return { hash, mime, name, size: atob(dataBase64).length };
}

function setup() {
  const fake = fakeClient();
  const store = createAppStore({ client: fake.client, frames: manualFrames() }, { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  const uploads: Array<{ name: string; dataBase64: string }> = [];
  fake.calls.compare!.addAttachment!.mockImplementation(async (args) => {
    const a = args as { name: string; dataBase64: string };
    uploads.push(a);
    if (a.name.endsWith('.zip')) throw new Error('cannot attach "x.zip": unsupported type (PNG, JPEG, WebP, GIF, PDF or UTF-8 text)');
    return refFor(a.name, a.dataBase64);
  });
  fake.calls.compare!.estimateRun!.mockResolvedValue({ columns: [], totalMinUsd: 0, totalMaxUsd: 0, budgetWarnings: [], blockedBy: null });
  render(
    <StoreContext.Provider value={store}>
      <CompareView />
    </StoreContext.Provider>,
  );
  return { fake, store, uploads };
}

const chips = () => screen.queryAllByTestId('attachment-chip');
/** Resolves once the store has no upload in flight (the uploads are real promises of the fake client). */
async function settled(store: ReturnType<typeof setup>['store']) {
  await act(async () => {
    while (store.getState().attaching > 0) await new Promise<void>((r) => queueMicrotask(r));
  });
}

afterEach(() => cleanup());

describe('attachments in the compare view', () => {
  it('the file picker uploads each file as base64 and shows a chip with a thumbnail for an image', async () => {
    const { store, uploads } = setup();
    const input = screen.getByTestId('attach-input') as HTMLInputElement;
    const files = [new File([PNG_BYTES], 'dot.png', { type: 'image/png' }), new File(['hello'], 'notes.txt', { type: 'text/plain' })];
    fireEvent.change(input, { target: { files } });
    await settled(store);
    expect(uploads.map((u) => [u.name, atob(u.dataBase64)])).toEqual([
      ['dot.png', String.fromCharCode(...PNG_BYTES)],
      ['notes.txt', 'hello'],
    ]);
    // The image has a thumbnail instead of its kind; sizes are rounded up to 1 KB.
    expect(chips().map((c) => c.textContent)).toEqual(['dot.png1 KB×', 'textnotes.txt1 KB×']);
    expect(chips()[0]!.querySelector('img')!.getAttribute('src')).toBe(`data:image/png;base64,${btoa(String.fromCharCode(...PNG_BYTES))}`);
    expect(store.getState().draft.attachments.map((a) => a.name)).toEqual(['dot.png', 'notes.txt']);
  });

  it('a file dropped on the prompt is attached; dropped text is left to the textarea', async () => {
    const { store } = setup();
    const drop = screen.getByTestId('prompt-drop');
    fireEvent.drop(drop, { dataTransfer: { files: [new File(['%PDF-1.4'], 'brief.pdf', { type: 'application/pdf' })], types: ['Files'] } });
    await settled(store);
    expect(chips().map((c) => c.getAttribute('title'))).toEqual(['brief.pdf (PDF, 1 KB)']);
    fireEvent.drop(drop, { dataTransfer: { files: [], types: ['text/plain'] } });
    await settled(store);
    expect(chips()).toHaveLength(1);
  });

  it('a pasted screenshot is attached; pasted text is not', async () => {
    const { store, uploads } = setup();
    const prompt = screen.getByTestId('prompt-user');
    fireEvent.paste(prompt, { clipboardData: { files: [new File([PNG_BYTES], 'image.png', { type: 'image/png' })], types: ['Files'] } });
    await settled(store);
    fireEvent.paste(prompt, { clipboardData: { files: [], types: ['text/plain'], getData: () => 'words' } });
    await settled(store);
    expect(uploads.map((u) => u.name)).toEqual(['image.png']);
    expect(chips()).toHaveLength(1);
  });

  it('a chip\'s remove button takes it out of the draft; a refusal is one line and adds nothing', async () => {
    const { store } = setup();
    const input = screen.getByTestId('attach-input') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([PNG_BYTES], 'dot.png', { type: 'image/png' }), new File(['PK'], 'x.zip', { type: 'application/zip' })] } });
    await settled(store);
    expect(screen.getByTestId('attach-error').textContent).toBe('cannot attach "x.zip": unsupported type (PNG, JPEG, WebP, GIF, PDF or UTF-8 text)');
    expect(chips()).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'remove dot.png' }));
    expect(chips()).toHaveLength(0);
    expect(store.getState().draft.attachments).toEqual([]);
    expect(screen.queryByTestId('attach-error')).toBeNull();
  });

  it('a file over the limit is refused before it is read or sent', async () => {
    const { store, uploads } = setup();
    const huge = new File([PNG_BYTES], 'huge.png', { type: 'image/png' });
    Object.defineProperty(huge, 'size', { value: 21 * 1024 * 1024 });
    fireEvent.change(screen.getByTestId('attach-input'), { target: { files: [huge] } });
    await settled(store);
    expect(uploads).toEqual([]);
    expect(screen.getByTestId('attach-error').textContent).toBe('cannot attach huge.png: over the 20 MB limit for images');
  });
});

describe('draft attachments', () => {
  const ref: AttachmentRef = { hash: 'f'.repeat(64), mime: 'image/png', name: 'dot.png', size: 68 };

  it('go into the request\'s user message, and come back from a past request', () => {
    const r = draftToRequest({ ...emptyDraft, prompt: 'p', targets: ['a:b'], attachments: [ref] });
    expect(r).toEqual({ ok: true, request: expect.objectContaining({ messages: [{ role: 'user', content: 'p', attachments: [ref] }] }) });
    expect(requestToDraft(r.ok ? r.request : ({} as never)).attachments).toEqual([ref]);
    const plain = draftToRequest({ ...emptyDraft, prompt: 'p', targets: ['a:b'] });
    expect(plain.ok && plain.request.messages[0]).toEqual({ role: 'user', content: 'p' });
  });

  it('are plain data (hashes and names), so the draft survives JSON', () => {
    const d = { ...emptyDraft, attachments: [ref] };
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('pre-flight with attachments', () => {
  it('marks the token count as estimated and shows an endpoint\'s modality warning', async () => {
    const { PreflightPanel } = await import('../../renderer/components/PreflightPanel');
    const col = {
      target: 'local:vision', endpointId: 'local:vision', provider: 'local', inputTokens: 1267, inputCostUsd: null, maxOutputTokens: 100, maxOutputCostUsd: null,
      jurisdiction: null, retainsPrompts: null, trainsOnData: null, zdrAvailable: null, error: null, attachmentTokens: 1255, inputTokensUpperBound: false,
      warnings: ['local:vision: the catalog does not say whether it accepts images; sending anyway'],
    };
    render(<PreflightPanel estimate={{ columns: [col], totalMinUsd: 0, totalMaxUsd: 0, upperBound: false, budgetWarnings: [], blockedBy: null }} error={null} pending={false} />);
    expect(screen.getByTestId('preflight-tokens').textContent).toBe('~1,267 tok');
    expect(screen.getByTestId('preflight-tokens').getAttribute('title')).toMatch(/1,255 of them for images and PDFs, estimated/);
    expect(screen.getByTestId('preflight-column-warning').textContent).toBe('local:vision: the catalog does not say whether it accepts images; sending anyway');
  });
});
