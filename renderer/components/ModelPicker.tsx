import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ModelOption, TargetCheck, TargetFix } from '../../shared/contract';
import type { ColumnRouting } from '../../shared/domain';
import { parseTarget, TargetSyntaxError } from '../../shared/targets';
import { shortenMiddle } from '../lib/shorten';
import { ColumnRoutingMenu } from './ColumnRoutingMenu';

export interface ModelPickerProps {
  targets: string[];
  options: ModelOption[];
  loading: boolean;
  error: string | null;
  onSearch(query: string): void;
  onAdd(target: string): void;
  onRemove(target: string): void;
  /** What the engine said of each chosen target; absent while it is being checked. */
  checks?: Record<string, TargetCheck>;
  /** Opens the Providers view's form prefilled to make a target servable. */
  onFix?(fix: TargetFix): void;
  columnRouting?: Record<string, ColumnRouting>;
  onColumnRouting?(target: string, routing: ColumnRouting | null): void;
}

/** Characters of a chip's name; a longer one loses its middle (the title has it whole). */
const CHIP_CHARS = 36;

/** The fix button's words: what it will do, in the window. */
export function fixLabel(fix: TargetFix): string {
  return fix.action === 'add' ? `Add provider ${fix.providerId}` : `Edit provider ${fix.providerId}`;
}

type Entry = { kind: 'option'; option: ModelOption } | { kind: 'free'; target: string };

const SEARCH_DEBOUNCE_MS = 150;

/** Checks a free-form target with the shared syntax; returns the error sentence or null. */
export function targetError(raw: string): string | null {
  try {
    parseTarget(raw);
    return null;
  } catch (err) {
    return err instanceof TargetSyntaxError ? err.message : 'not a valid target';
  }
}

/**
 * Picks targets from the configured providers' models, or takes any target
 * string (`provider:model`, `lab/model`, `lab/model@provider`, chains `a,b`).
 */
export function ModelPicker({ targets, options, loading, error, onSearch, onAdd, onRemove, checks = {}, onFix, columnRouting = {}, onColumnRouting }: ModelPickerProps) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [inputError, setInputError] = useState<string | null>(null);
  const listId = useId();

  // Once per distinct query: a parent passing a new callback (or re-rendering while the
  // search is in flight) must not start the same search again.
  const searched = useRef<string | null>(null);
  useEffect(() => {
    if (searched.current === query) return;
    const t = setTimeout(() => {
      searched.current = query;
      onSearch(query);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query, onSearch]);

  const entries = useMemo<Entry[]>(() => {
    const q = query.trim();
    // Search results arrive after a debounce: filter locally too, so Enter never picks a stale match.
    const needle = q.toLowerCase();
    const matches = (o: ModelOption): boolean => !needle || `${o.target} ${o.label} ${o.modelId ?? ''}`.toLowerCase().includes(needle);
    const list: Entry[] = options.filter((o) => !targets.includes(o.target) && matches(o)).map((option) => ({ kind: 'option', option }));
    if (q && !/\s/.test(q) && !options.some((o) => o.target === q) && !targets.includes(q) && targetError(q) === null) {
      // A bare word is more likely a search than a catalog id: matches first, then the word as typed.
      const looksLikeTarget = /[:/@,]/.test(q) || list.length === 0;
      if (looksLikeTarget) list.unshift({ kind: 'free', target: q });
      else list.push({ kind: 'free', target: q });
    }
    return list.slice(0, 50);
  }, [options, targets, query]);

  const activeIndex = Math.min(active, Math.max(0, entries.length - 1));

  const add = (target: string): void => {
    onAdd(target);
    setQuery('');
    setInputError(null);
    setActive(0);
  };

  /** Enter on typed text: several targets may be pasted at once, separated by spaces. */
  const addTyped = (): void => {
    const parts = query.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return;
    const bad = parts.map(targetError).find((e) => e !== null);
    if (bad) {
      setInputError(bad);
      return;
    }
    for (const p of parts) onAdd(p);
    setQuery('');
    setInputError(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive(Math.min(activeIndex + 1, entries.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      const entry = open ? entries[activeIndex] : undefined;
      if (/\s/.test(query.trim()) || !entry) addTyped();
      else add(entry.kind === 'option' ? entry.option.target : entry.target);
    } else if (e.key === 'Escape' && open) {
      // Handled here: the window-level Escape (stop all) must not fire for a dropdown close.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === 'Backspace' && !query && targets.length > 0) {
      onRemove(targets[targets.length - 1]!);
    }
  };

  const optionId = (i: number): string => `${listId}-opt-${i}`;
  const expanded = open && entries.length > 0;

  return (
    <div className="picker" data-testid="model-picker">
      <ul className="chips" aria-label="selected models">
        {targets.map((t) => {
          const bad = checks[t] && !checks[t].ok ? checks[t] : null;
          const reasonId = `${listId}-why-${targets.indexOf(t)}`;
          return (
            <li key={t} className={`chip mono${bad ? ' chip-bad' : ''}`} data-testid="target-chip" data-target={t} data-unservable={bad ? true : undefined}>
              <span className="chip-name" title={t} aria-describedby={bad ? reasonId : undefined}>
                {bad && <span aria-label="cannot run: ">⚠ </span>}
                {shortenMiddle(t, CHIP_CHARS)}
              </span>
              {onColumnRouting && <ColumnRoutingMenu target={t} value={columnRouting[t]} onChange={(r) => onColumnRouting(t, r)} />}
              <button type="button" className="chip-x" aria-label={`remove ${t}`} onClick={() => onRemove(t)}>
                ×
              </button>
              {bad && (
                <span className="chip-why" id={reasonId} data-testid="chip-reason">
                  {bad.reason}
                  {bad.fix && onFix && (
                    <button type="button" className="btn btn-small" data-testid="chip-fix" onClick={() => onFix(bad.fix!)}>
                      {fixLabel(bad.fix)}
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <div className="picker-box">
        <input
          type="text"
          className="input mono"
          data-testid="model-picker-input"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded ? optionId(activeIndex) : undefined}
          aria-invalid={inputError ? true : undefined}
          aria-label="Add a model: search, or type provider:model, lab/model, lab/model@provider, a,b"
          placeholder="Add model… (search or provider:model)"
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            setActive(0);
            setInputError(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {expanded && (
          <ul className="picker-list" role="listbox" id={listId} data-testid="model-options">
            {entries.map((entry, i) => (
              <li
                key={entry.kind === 'option' ? entry.option.target : `free:${entry.target}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                className={`picker-option${i === activeIndex ? ' active' : ''}`}
                data-testid="model-option"
                data-target={entry.kind === 'option' ? entry.option.target : entry.target}
                // mousedown, not click: the input's blur would close the list first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(entry.kind === 'option' ? entry.option.target : entry.target);
                }}
                onMouseEnter={() => setActive(i)}
              >
                {entry.kind === 'option' ? (
                  <>
                    <span className="picker-label">{entry.option.label}</span>
                    <span className="picker-target mono">{entry.option.target}</span>
                  </>
                ) : (
                  <>
                    <span className="picker-label">Use as typed</span>
                    <span className="picker-target mono">{entry.target}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      {inputError && (
        <p className="field-error" role="alert" data-testid="model-picker-error">
          {inputError}
        </p>
      )}
      {!inputError && error && <p className="field-error">Model search failed: {error}</p>}
      {loading && <span className="sr-only">searching models</span>}
    </div>
  );
}
