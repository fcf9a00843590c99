import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SavedPrompt } from '../../shared/contract';
import { fillTemplate, missingVariables } from '../../shared/template';

export interface PromptFillProps {
  prompt: SavedPrompt;
  onFilled(text: string): void;
  onBack(): void;
}

/**
 * One field per `{{ variable }}` of a saved prompt: the first is focused, Enter
 * fills the prompt in, and every field left blank is marked at once.
 */
export function PromptFill({ prompt, onFilled, onBack }: PromptFillProps) {
  const base = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [marked, setMarked] = useState<string[]>([]);
  const fields = useRef<Record<string, HTMLInputElement | null>>({});
  const first = prompt.variables[0];

  useEffect(() => {
    if (first !== undefined) fields.current[first]?.focus();
  }, [first]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A blank field is a value not given yet, not an empty one.
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
    const missing = missingVariables(prompt.body, given);
    setMarked(missing);
    if (missing.length) {
      fields.current[missing[0]!]?.focus();
      return;
    }
    onFilled(fillTemplate(prompt.body, given));
  };

  return (
    <form className="library-fill" data-testid="library-fill" onSubmit={submit} aria-labelledby={`${base}-title`} noValidate>
      <h3 id={`${base}-title`}>
        Fill in <span className="strong">{prompt.name}</span>
        <span className="muted"> · {prompt.kind === 'system' ? 'goes into the system prompt' : 'goes into the prompt'}</span>
      </h3>
      {prompt.variables.map((name) => {
        const missing = marked.includes(name);
        const errId = `${base}-${name}-err`;
        return (
          <label key={name} className="field library-var">
            <span className="field-label mono">{name}</span>
            <input
              ref={(el) => {
                fields.current[name] = el;
              }}
              className="input"
              data-testid="library-var"
              data-var={name}
              value={values[name] ?? ''}
              aria-invalid={missing || undefined}
              aria-describedby={missing ? errId : undefined}
              onChange={(e) => {
                const v = e.target.value;
                setValues((prev) => ({ ...prev, [name]: v }));
                if (v.trim()) setMarked((m) => m.filter((x) => x !== name));
              }}
            />
            {missing && (
              <span className="field-error" id={errId} data-testid="library-var-missing">
                needs a value
              </span>
            )}
          </label>
        );
      })}
      {marked.length > 0 && (
        <p className="field-error" role="alert" data-testid="library-fill-error">
          Missing {marked.length === 1 ? 'a value' : `${marked.length} values`}: {marked.join(', ')}
        </p>
      )}
      <div className="library-actions">
        <button type="submit" className="btn btn-primary" data-testid="library-fill-insert">
          Insert <kbd>↵</kbd>
        </button>
        <button type="button" className="btn" data-testid="library-fill-back" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}
