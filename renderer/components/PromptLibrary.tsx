import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PromptKind, SavedPrompt } from '../../shared/contract';
import { useApp } from '../store';
import { PromptFill } from './PromptFill';

const KINDS: Array<{ kind: PromptKind; title: string }> = [
  { kind: 'prompt', title: 'Prompts' },
  { kind: 'system', title: 'System prompts' },
];

const matches = (p: SavedPrompt, q: string) => !q || p.name.toLowerCase().includes(q) || p.body.toLowerCase().includes(q);
const firstLine = (s: string) => (s.split('\n').find((l) => l.trim()) ?? '').slice(0, 140);

/** Save the draft's prompt or system prompt under a name; a taken name asks before replacing. */
function SaveAs({ draftPrompt, draftSystem }: { draftPrompt: string; draftSystem: string }) {
  const savePrompt = useApp((s) => s.savePrompt);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PromptKind>('prompt');
  const [error, setError] = useState<{ text: string; conflict: boolean } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const body = kind === 'system' ? draftSystem : draftPrompt;

  const save = async (replace: boolean) => {
    setSaved(null);
    if (!name.trim()) return setError({ text: 'name it first', conflict: false });
    if (!body.trim()) return setError({ text: kind === 'system' ? 'the system prompt is empty: write one first' : 'the prompt is empty: write one first', conflict: false });
    const r = await savePrompt({ name: name.trim(), kind, body, replace });
    if (r.ok) {
      setError(null);
      setName('');
      setSaved(`saved ${r.prompt.name}${r.prompt.variables.length ? ` (variables: ${r.prompt.variables.join(', ')})` : ''}`);
    } else setError({ text: r.error, conflict: r.conflict });
  };

  return (
    <form
      className="library-save"
      data-testid="library-save-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <span className="field-label">Save the current</span>
      <select className="input" aria-label="What to save" data-testid="library-save-kind" value={kind} onChange={(e) => (setKind(e.target.value as PromptKind), setError(null))}>
        <option value="prompt">prompt</option>
        <option value="system">system prompt</option>
      </select>
      <span className="field-label">as</span>
      <input
        className="input"
        data-testid="library-save-name"
        aria-label="Name to save it as"
        placeholder="name"
        maxLength={120}
        value={name}
        aria-invalid={error ? true : undefined}
        onChange={(e) => (setName(e.target.value), setError(null))}
      />
      <button type="submit" className="btn btn-small" data-testid="library-save">
        Save
      </button>
      {error && (
        <p className="field-error library-save-error" role="alert" data-testid="library-save-error">
          {error.text}{' '}
          {error.conflict && (
            <button type="button" className="btn btn-small btn-danger" data-testid="library-save-replace" onClick={() => void save(true)}>
              Replace it
            </button>
          )}
        </p>
      )}
      {saved && (
        <p className="muted library-save-done" role="status" data-testid="library-save-done">
          {saved}
        </p>
      )}
    </form>
  );
}

function PromptRow({ p, onPick }: { p: SavedPrompt; onPick(p: SavedPrompt): void }) {
  const deletePrompt = useApp((s) => s.deletePrompt);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="library-item" data-testid="library-item" data-name={p.name} data-kind={p.kind}>
      <button type="button" className="library-pick" data-testid="library-pick" onClick={() => onPick(p)} title={p.variables.length ? 'Fill in its variables, then insert it' : 'Insert it'}>
        <span className="strong">{p.name}</span>
        {p.variables.length > 0 && <span className="muted mono"> {p.variables.map((v) => `{{${v}}}`).join(' ')}</span>}
        <span className="library-preview muted">{firstLine(p.body)}</span>
      </button>
      {confirming ? (
        <span className="library-confirm" role="group" aria-label={`Delete ${p.name}?`}>
          <span>Delete?</span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="library-delete-confirm"
            onClick={() => void deletePrompt(p.id).then((err) => (setError(err), setConfirming(false)))}
          >
            Delete
          </button>
          <button type="button" className="btn btn-small" data-testid="library-delete-cancel" onClick={() => setConfirming(false)} autoFocus>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-small" data-testid="library-delete" aria-label={`Delete ${p.name}`} onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The Library (Ctrl/Cmd+L): saved prompts and system prompts, searched, picked, filled in. */
export function PromptLibrary() {
  const s = useApp(
    useShallow((s) => ({
      open: s.libraryOpen,
      setOpen: s.setLibraryOpen,
      prompts: s.savedPrompts,
      error: s.promptsError,
      apply: s.applyPrompt,
      draftPrompt: s.draft.prompt,
      draftSystem: s.draft.system,
    })),
  );
  const ref = useRef<HTMLDialogElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [filling, setFilling] = useState<SavedPrompt | null>(null);
  const { open } = s;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setFilling(null);
      setQuery('');
      d.showModal();
      search.current?.focus();
    } else if (!open && d.open) d.close();
  }, [open]);

  const q = query.trim().toLowerCase();
  const shown = useMemo(() => (s.prompts ?? []).filter((p) => matches(p, q)), [s.prompts, q]);
  const pick = (p: SavedPrompt) => (p.variables.length ? setFilling(p) : s.apply(p, p.body));

  return (
    <dialog
      ref={ref}
      className="about library"
      aria-labelledby="library-title"
      data-testid="library"
      // Cancel (Escape) comes at once; the close event only in a later task, after which a quick Ctrl+L would be lost.
      onCancel={() => s.setOpen(false)}
      onClose={() => s.setOpen(false)}
      onKeyDown={(e) => {
        // Escape belongs to the dialog here, not to the window's "stop all" shortcut.
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <div className="about-head">
        <h2 id="library-title">Prompt library</h2>
        <button type="button" className="btn-icon" aria-label="Close" data-testid="library-close" onClick={() => s.setOpen(false)}>
          ×
        </button>
      </div>
      <div className="about-body">
        {filling ? (
          <PromptFill key={filling.id} prompt={filling} onFilled={(text) => s.apply(filling, text)} onBack={() => (setFilling(null), search.current?.focus())} />
        ) : (
          <>
            <input
              ref={search}
              className="input library-search"
              type="search"
              data-testid="library-search"
              aria-label="Search saved prompts"
              placeholder="Search by name or text"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            {s.error && (
              <p className="field-error" role="alert" data-testid="library-error">
                {s.error}
              </p>
            )}
            {s.prompts === null && !s.error && <p className="muted">Loading…</p>}
            {s.prompts?.length === 0 && (
              <p className="muted" data-testid="library-empty">
                No saved prompts yet. Write a prompt (or a system prompt) and save it below; mark what changes each time as {'{{ name }}'} and you fill it in when you use it.
              </p>
            )}
            {s.prompts && s.prompts.length > 0 && shown.length === 0 && <p className="muted" data-testid="library-no-match">Nothing matches “{query}”.</p>}
            {KINDS.map(({ kind, title }) => {
              const rows = shown.filter((p) => p.kind === kind);
              if (!rows.length) return null;
              return (
                <section key={kind} aria-label={title}>
                  <h3>{title}</h3>
                  <ul className="library-list" data-testid={`library-list-${kind}`}>
                    {rows.map((p) => (
                      <PromptRow key={p.id} p={p} onPick={pick} />
                    ))}
                  </ul>
                </section>
              );
            })}
            <SaveAs draftPrompt={s.draftPrompt} draftSystem={s.draftSystem} />
          </>
        )}
      </div>
    </dialog>
  );
}
