/**
 * History's filter bar: model, provider, status, tags, a date range and the
 * source, each applied as one filter; what is set shows as chips that clear
 * it. Text fields apply on Enter or on leaving them (model and provider match
 * exactly, so half a name would only empty the list while typing).
 */
import { useEffect, useId, useState } from 'react';
import { KNOWN_SOURCES, STATUS_KINDS, UNKNOWN_SOURCE, checkTag, tagKey, type HistoryFilters, type StatusKind } from '../../shared/run-labels';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface HistoryFilterBarProps {
  filters: HistoryFilters;
  knownTags: readonly string[];
  onChange(filters: HistoryFilters): void;
}

/** The chips of the filters set, each with what clears it. */
function chipsOf(f: HistoryFilters): Array<{ key: string; label: string; clear(f: HistoryFilters): HistoryFilters }> {
  const without = (k: keyof HistoryFilters) => (x: HistoryFilters) => {
    const { [k]: _gone, ...rest } = x;
    return rest;
  };
  const chips: Array<{ key: string; label: string; clear(f: HistoryFilters): HistoryFilters }> = [];
  if (f.model) chips.push({ key: 'model', label: `model: ${f.model}`, clear: without('model') });
  if (f.provider) chips.push({ key: 'provider', label: `provider: ${f.provider}`, clear: without('provider') });
  if (f.status) chips.push({ key: 'status', label: `status: ${f.status}`, clear: without('status') });
  for (const t of f.tags ?? []) {
    chips.push({ key: `tag:${tagKey(t)}`, label: `tag: ${t}`, clear: (x) => ({ ...x, tags: (x.tags ?? []).filter((y) => tagKey(y) !== tagKey(t)) }) });
  }
  if (f.since !== undefined) chips.push({ key: 'since', label: `since ${isoDay(f.since)}`, clear: without('since') });
  if (f.until !== undefined) chips.push({ key: 'until', label: `until ${isoDay(f.until - DAY_MS)}`, clear: without('until') });
  if (f.source) chips.push({ key: 'source', label: `source: ${f.source}`, clear: without('source') });
  return chips;
}

export function HistoryFilterBar({ filters, knownTags, onChange }: HistoryFilterBarProps) {
  const id = useId();
  const [model, setModel] = useState(filters.model ?? '');
  const [provider, setProvider] = useState(filters.provider ?? '');
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState<string | null>(null);
  // A chip cleared outside the field empties the field too.
  useEffect(() => setModel(filters.model ?? ''), [filters.model]);
  useEffect(() => setProvider(filters.provider ?? ''), [filters.provider]);

  const set = (patch: Partial<HistoryFilters>) => {
    const next: HistoryFilters = { ...filters, ...patch };
    for (const k of Object.keys(next) as Array<keyof HistoryFilters>) if (next[k] === undefined || next[k] === '') delete next[k];
    if (next.tags && next.tags.length === 0) delete next.tags;
    onChange(next);
  };
  const applyText = (k: 'model' | 'provider', v: string) => {
    if ((filters[k] ?? '') !== v.trim()) set({ [k]: v.trim() || undefined });
  };
  const addTag = () => {
    const c = checkTag(tag);
    if (!c.ok) {
      setTagError(c.error);
      return;
    }
    setTagError(null);
    setTag('');
    if (!(filters.tags ?? []).some((t) => tagKey(t) === tagKey(c.tag))) set({ tags: [...(filters.tags ?? []), c.tag] });
  };
  const chips = chipsOf(filters);
  // Open when filters are set on entry; afterwards, as the user leaves it.
  const [open, setOpen] = useState(chips.length > 0);

  return (
    <details className="history-filters" data-testid="history-filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Filters{chips.length > 0 && <span className="muted"> ({chips.length})</span>}
      </summary>
      <div className="history-filter-grid">
        <label htmlFor={`${id}-model`}>Model</label>
        <input
          id={`${id}-model`}
          className="input"
          data-testid="filter-model"
          placeholder="openai:gpt-4o-mini (exact)"
          value={model}
          onChange={(e) => setModel(e.target.value)}
          onBlur={() => applyText('model', model)}
          onKeyDown={(e) => e.key === 'Enter' && applyText('model', model)}
        />
        <label htmlFor={`${id}-provider`}>Provider</label>
        <input
          id={`${id}-provider`}
          className="input"
          data-testid="filter-provider"
          placeholder="that served it, e.g. openai"
          value={provider}
          onChange={(e) => setProvider(e.target.value)}
          onBlur={() => applyText('provider', provider)}
          onKeyDown={(e) => e.key === 'Enter' && applyText('provider', provider)}
        />
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} className="input" data-testid="filter-status" value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as StatusKind | undefined })}>
          <option value="">any</option>
          {STATUS_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'ok' ? 'ok (every column)' : `${k} (a column)`}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-tag`}>Tag</label>
        <input
          id={`${id}-tag`}
          className="input"
          data-testid="filter-tag"
          list={`${id}-tags`}
          placeholder="Enter adds; all must match"
          aria-invalid={tagError ? true : undefined}
          aria-describedby={tagError ? `${id}-tag-error` : undefined}
          value={tag}
          onChange={(e) => {
            setTag(e.target.value);
            setTagError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addTag();
            }
          }}
        />
        <datalist id={`${id}-tags`}>
          {knownTags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <label htmlFor={`${id}-since`}>From</label>
        <input
          id={`${id}-since`}
          type="date"
          className="input"
          data-testid="filter-since"
          value={filters.since === undefined ? '' : isoDay(filters.since)}
          onChange={(e) => set({ since: e.target.value ? Date.parse(e.target.value) : undefined })}
        />
        <label htmlFor={`${id}-until`}>To</label>
        <input
          id={`${id}-until`}
          type="date"
          className="input"
          data-testid="filter-until"
          title="Up to the end of this day (UTC)"
          value={filters.until === undefined ? '' : isoDay(filters.until - DAY_MS)}
          onChange={(e) => set({ until: e.target.value ? Date.parse(e.target.value) + DAY_MS : undefined })}
        />
        <label htmlFor={`${id}-source`}>Source</label>
        <select id={`${id}-source`} className="input" data-testid="filter-source" value={filters.source ?? ''} onChange={(e) => set({ source: e.target.value || undefined })}>
          <option value="">any</option>
          {[...KNOWN_SOURCES, UNKNOWN_SOURCE].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {tagError && (
        <p className="field-error" id={`${id}-tag-error`} role="alert">
          {tagError}
        </p>
      )}
      {chips.length > 0 && (
        <ul className="chips history-filter-chips" aria-label="Filters set" data-testid="filter-chips">
          {chips.map((c) => (
            <li key={c.key} className="chip" data-testid="filter-chip">
              <span>{c.label}</span>
              <button type="button" className="chip-x" aria-label={`clear ${c.label}`} onClick={() => onChange(c.clear(filters))}>
                ×
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="btn btn-small" data-testid="filter-clear-all" onClick={() => onChange({})}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </details>
  );
}
