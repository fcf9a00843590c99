/**
 * A run's tags and note in History. Tags: Enter adds the one typed, Backspace
 * in the empty field removes the last, × removes that one. The note saves on
 * leaving the field, on Ctrl+Enter (⌘↵), and a moment after typing stops, so
 * a reload loses none of it; it says when it is saved.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { MAX_NOTE_CHARS, MAX_TAGS_PER_RUN, checkTag, tagKey } from '../../shared/run-labels';

const NOTE_AUTOSAVE_MS = 800;

export interface RunLabelsProps {
  runId: string;
  tags: readonly string[];
  note: string | null;
  knownTags: readonly string[];
  onTags(tags: string[]): Promise<string | null>;
  onNote(note: string): Promise<string | null>;
}

export function TagEditor({ tags, knownTags, onTags }: Pick<RunLabelsProps, 'tags' | 'knownTags' | 'onTags'>) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (next: string[]) => {
    const err = await onTags(next);
    setError(err);
    return err === null;
  };
  const add = async () => {
    const c = checkTag(draft);
    if (!c.ok) return setError(c.error);
    if (tags.some((t) => tagKey(t) === tagKey(c.tag))) {
      setDraft('');
      return setError(null);
    }
    if (tags.length >= MAX_TAGS_PER_RUN) return setError(`a run can have at most ${MAX_TAGS_PER_RUN} tags`);
    if (await save([...tags, c.tag])) setDraft('');
  };
  return (
    <div className="tag-editor" data-testid="run-tags">
      <span className="field-label" id={`${id}-label`}>
        Tags
      </span>
      <ul className="chips" aria-labelledby={`${id}-label`}>
        {tags.map((t) => (
          <li key={t} className="chip tag-chip" data-testid="run-tag">
            <span>{t}</span>
            <button type="button" className="chip-x" aria-label={`remove tag ${t}`} onClick={() => void save(tags.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        className="input tag-input"
        data-testid="run-tag-input"
        aria-label="Add a tag"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        list={`${id}-known`}
        placeholder={tags.length ? 'add a tag…' : 'add a tag (Enter)'}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void add();
          } else if (e.key === 'Backspace' && draft === '' && tags.length > 0) {
            e.preventDefault();
            void save(tags.slice(0, -1));
          }
        }}
      />
      <datalist id={`${id}-known`}>
        {knownTags.filter((k) => !tags.some((t) => tagKey(t) === tagKey(k))).map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

type NoteState = { kind: 'idle' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

export function NoteField({ note, onNote }: Pick<RunLabelsProps, 'note' | 'onNote'>) {
  const id = useId();
  const [text, setText] = useState(note ?? '');
  const [state, setState] = useState<NoteState>({ kind: 'idle' });
  const saved = useRef(note ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const save = async (value: string) => {
    clearTimeout(timer.current);
    if (value.trimEnd() === saved.current) {
      setState((s) => (s.kind === 'dirty' ? { kind: 'saved' } : s));
      return;
    }
    setState({ kind: 'saving' });
    const err = await onNote(value);
    if (err) return setState({ kind: 'error', message: err });
    saved.current = value.trimEnd();
    setState({ kind: 'saved' });
  };
  const over = [...text].length > MAX_NOTE_CHARS;
  const status =
    state.kind === 'saving' ? 'saving…' : state.kind === 'saved' ? 'saved' : state.kind === 'dirty' ? 'not saved yet' : state.kind === 'error' ? `not saved: ${state.message}` : '';

  return (
    <div className="note-field" data-testid="run-note">
      <label className="field-label" htmlFor={`${id}-note`}>
        Note
      </label>
      <textarea
        id={`${id}-note`}
        className="input note-input"
        data-testid="run-note-input"
        rows={2}
        placeholder="What you noticed about this run (saved as you go; Ctrl+Enter saves now)"
        aria-invalid={over || state.kind === 'error' ? true : undefined}
        aria-describedby={`${id}-status`}
        value={text}
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          setState({ kind: 'dirty' });
          clearTimeout(timer.current);
          if ([...v].length <= MAX_NOTE_CHARS) timer.current = setTimeout(() => void save(v), NOTE_AUTOSAVE_MS);
        }}
        onBlur={() => !over && void save(text)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            if (!over) void save(text);
          }
        }}
      />
      <span id={`${id}-status`} className={`note-status${state.kind === 'error' || over ? ' field-error' : ' muted'}`} data-testid="run-note-status" role="status">
        {over ? `${[...text].length.toLocaleString('en-US')} / ${MAX_NOTE_CHARS.toLocaleString('en-US')} characters: too long to save` : status}
      </span>
    </div>
  );
}

export function RunLabels(p: RunLabelsProps) {
  return (
    <div className="run-labels">
      <TagEditor tags={p.tags} knownTags={p.knownTags} onTags={p.onTags} />
      {/* Keyed by run: another run's note starts from what is stored for it. */}
      <NoteField key={p.runId} note={p.note} onNote={p.onNote} />
    </div>
  );
}
