import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CatalogCompare } from '../components/CatalogCompare';
import { CatalogTable } from '../components/CatalogTable';
import { activeFilterCount, CAPABILITIES, CATALOG_LIMIT, CONTEXT_STEPS, emptyCatalogFilters, formatTokens, MODALITIES, parseMaxPrice, SORTS, type CatalogSort } from '../lib/catalog';
import { useApp } from '../store';

const SEARCH_DEBOUNCE_MS = 200;

function CatalogFiltersPanel() {
  const { f, providers, setFilters } = useApp(useShallow((s) => ({ f: s.catalogFilters, providers: s.catalogProviders, setFilters: s.setCatalogFilters })));
  const jurisdictions = useMemo(() => [...new Set(providers.map((p) => p.policy.jurisdiction).filter((j): j is string => !!j))].sort(), [providers]);
  const sortedProviders = useMemo(() => [...providers].sort((a, b) => a.name.localeCompare(b.name)), [providers]);
  const price = parseMaxPrice(f.maxInputPrice);
  const active = activeFilterCount(f);

  return (
    <aside className="catalog-side" aria-label="Search and filters">
      <input
        type="search"
        className="input"
        data-testid="catalog-search"
        aria-label="Search models"
        placeholder="Search models, labs, providers…"
        value={f.query}
        onChange={(e) => setFilters({ query: e.target.value })}
      />
      <label className="field">
        <span className="field-label">Sort</span>
        <select className="input" data-testid="catalog-sort" value={f.sort} onChange={(e) => setFilters({ sort: e.target.value as CatalogSort })}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Max input price ($/M)</span>
        <input
          className="input mono"
          type="number"
          min="0"
          step="0.05"
          inputMode="decimal"
          data-testid="catalog-max-price"
          placeholder="any"
          aria-invalid={!price.ok}
          value={f.maxInputPrice}
          onChange={(e) => setFilters({ maxInputPrice: e.target.value })}
        />
        {!price.ok && <span className="field-error">{price.error}</span>}
      </label>
      <label className="field">
        <span className="field-label">Min context</span>
        <select className="input" data-testid="catalog-min-context" value={f.minContext} onChange={(e) => setFilters({ minContext: e.target.value })}>
          <option value="">any</option>
          {CONTEXT_STEPS.map((n) => (
            <option key={n} value={String(n)}>
              {formatTokens(n)}+
            </option>
          ))}
        </select>
      </label>
      <fieldset className="catalog-caps">
        <legend className="field-label">Capabilities</legend>
        {CAPABILITIES.map((c) => (
          <label key={c} className="radio">
            <input
              type="checkbox"
              data-testid={`catalog-cap-${c}`}
              checked={f.capabilities.includes(c)}
              onChange={(e) => setFilters({ capabilities: e.target.checked ? [...f.capabilities, c] : f.capabilities.filter((x) => x !== c) })}
            />
            {c}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field-label">Input modality</span>
        <select className="input" data-testid="catalog-modality" value={f.modality} onChange={(e) => setFilters({ modality: e.target.value })}>
          <option value="">any</option>
          {MODALITIES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label className="radio" title="An endpoint that keeps nothing by default or offers zero data retention (unknown does not count)">
        <input type="checkbox" data-testid="catalog-zdr" checked={f.zdr} onChange={(e) => setFilters({ zdr: e.target.checked })} />
        Zero data retention
      </label>
      <label className="field">
        <span className="field-label">Jurisdiction</span>
        <select className="input" data-testid="catalog-jurisdiction" value={f.jurisdiction} onChange={(e) => setFilters({ jurisdiction: e.target.value })}>
          <option value="">any</option>
          {jurisdictions.map((j) => (
            <option key={j} value={j}>
              {j}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Provider</span>
        <select className="input" data-testid="catalog-provider" value={f.provider} onChange={(e) => setFilters({ provider: e.target.value })}>
          <option value="">any</option>
          {sortedProviders.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-small" data-testid="catalog-clear-filters" disabled={active === 0 && !f.query} onClick={() => setFilters({ ...emptyCatalogFilters, sort: f.sort })}>
        Clear filters{active ? ` (${active})` : ''}
      </button>
    </aside>
  );
}

function CatalogHeader() {
  const { about, count, loading, error, openAbout } = useApp(
    useShallow((s) => ({ about: s.catalogAbout, count: s.catalogHits.length, loading: s.catalogLoading, error: s.catalogMetaError, openAbout: s.setAboutOpen })),
  );
  return (
    <div className="catalog-bar">
      <span data-testid="catalog-count" aria-live="polite">
        {loading && count === 0 ? 'Searching…' : count >= CATALOG_LIMIT ? `first ${count} matches: narrow the search to see the rest` : `${count} model${count === 1 ? '' : 's'}`}
      </span>
      <span className="catalog-credit muted" data-testid="catalog-credit">
        {about ? (
          <>
            {about.stats.models.toLocaleString('en-US')} models · {about.stats.endpoints.toLocaleString('en-US')} endpoints · {about.stats.providers} providers · as of{' '}
            <span data-testid="catalog-as-of">{about.asOf}</span> · data from{' '}
            <a href="https://models.dev" target="_blank" rel="noopener noreferrer">
              models.dev
            </a>{' '}
            (MIT){' '}
          </>
        ) : (
          error && <span className="field-error">{error}</span>
        )}
        <button type="button" className="btn-icon" data-testid="catalog-about" onClick={() => openAbout(true)}>
          Licence and sources
        </button>
      </span>
    </div>
  );
}

export function CatalogView() {
  const c = useApp(
    useShallow((s) => ({
      filters: s.catalogFilters,
      hits: s.catalogHits,
      error: s.catalogError,
      loading: s.catalogLoading,
      selected: s.catalogSelected,
      details: s.catalogDetails,
      providers: s.catalogProviders,
      targets: s.draft.targets,
      search: s.searchCatalog,
      loadMeta: s.loadCatalogMeta,
      toggle: s.toggleCatalogModel,
      clear: s.clearCatalogSelection,
      addTarget: s.addTarget,
    })),
  );
  const { filters, search, loadMeta } = c;
  const first = useRef(true);

  useEffect(() => void loadMeta(), [loadMeta]);

  // Typing waits for a pause; entering the view searches at once.
  useEffect(() => {
    const t = setTimeout(() => void search(), first.current ? 0 : SEARCH_DEBOUNCE_MS);
    first.current = false;
    return () => clearTimeout(t);
  }, [filters, search]);

  const providerNames = useMemo(() => new Map(c.providers.map((p) => [p.id, p.name])), [c.providers]);
  const comparing = c.selected.length > 0;

  return (
    <div className="catalog" data-testid="catalog-view">
      <CatalogFiltersPanel />
      <main className={`catalog-main${comparing ? ' comparing' : ''}`}>
        <CatalogHeader />
        {c.error && (
          <p className="field-error catalog-error" role="alert">
            {c.error}
          </p>
        )}
        {c.hits.length === 0 && !c.error ? (
          <div className="empty-state" data-testid="catalog-empty">
            <p>{c.loading ? 'Searching…' : 'No model matches. Loosen a filter or search for a lab, a model or a provider (e.g. “claude”, “groq”, “gpt-4o-mini”).'}</p>
          </div>
        ) : (
          <CatalogTable hits={c.hits} selected={c.selected} targets={c.targets} onToggle={c.toggle} onAdd={c.addTarget} />
        )}
        {comparing ? (
          <CatalogCompare selected={c.selected} details={c.details} providerNames={providerNames} targets={c.targets} onAdd={c.addTarget} onUntick={c.toggle} onClear={c.clear} />
        ) : (
          <p className="catalog-hint muted">Tick up to four models to compare their specs, prices and data policies side by side.</p>
        )}
      </main>
    </div>
  );
}
