import type { ReactNode } from 'react';
import type { CatalogModel } from '../../shared/catalog-types';
import type { Endpoint } from '../../shared/domain';
import { cachedPrice, contextOf, fact, formatPerM, formatTokens, retentionText, safeHttpUrl, type Fact } from '../lib/catalog';
import type { CatalogDetail } from '../store/catalogSlice';

export interface CatalogCompareProps {
  selected: string[];
  details: Record<string, CatalogDetail>;
  /** Catalog provider id → display name. */
  providerNames: ReadonlyMap<string, string>;
  targets: string[];
  onAdd(target: string): void;
  onUntick(modelId: string): void;
  onClear(): void;
}

function FactBadge({ value, good }: { value: Fact; good: 'yes' | 'no' }) {
  const cls = value === 'unknown' ? 'fact-unknown' : value === good ? 'fact-good' : 'fact-bad';
  return <span className={`fact ${cls}`}>{value}</span>;
}

function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  // The desktop shell opens http(s) links in the system browser; the page itself never navigates.
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** Cheapest first; endpoints without a price go last. */
function byPrice(a: Endpoint, b: Endpoint): number {
  const pa = a.price?.inputPerM ?? Infinity;
  const pb = b.price?.inputPerM ?? Infinity;
  return pa - pb || a.providerId.localeCompare(b.providerId);
}

function EndpointCard({ e, name, added, onAdd }: { e: Endpoint; name: string; added: boolean; onAdd(): void }) {
  const p = e.policy;
  const source = safeHttpUrl(p.sourceUrl);
  return (
    <li className="endpoint-card" data-testid="catalog-endpoint" data-endpoint-id={e.id}>
      <div className="endpoint-head">
        <span className="strong ellipsis" title={`${name} (${e.providerId}) · upstream ${e.upstreamModel}`}>
          {name}
        </span>
        {e.source === 'user' && <span className="badge badge-warn">your price</span>}
        <button
          type="button"
          className="btn btn-small"
          data-testid="catalog-add-endpoint"
          disabled={added}
          title={added ? 'Already in the compare view' : `Add ${e.modelId}@${e.providerId}: pinned to this provider`}
          onClick={onAdd}
        >
          {added ? 'Added' : 'Add'}
        </button>
      </div>
      <div className="endpoint-line mono">
        <span title="USD per million input tokens">in {formatPerM(e.price?.inputPerM)}</span>
        <span title="USD per million output tokens">out {formatPerM(e.price?.outputPerM)}</span>
        <span title="USD per million cached input tokens">cached {cachedPrice(e.price) === null ? <span className="muted">—</span> : formatPerM(cachedPrice(e.price))}</span>
        {e.price && e.price.tiers.length > 0 && <span title="A higher price applies above a prompt size">tiered</span>}
      </div>
      <div className="endpoint-line">
        <span>
          <span className="muted">where</span> {p.jurisdiction ?? <span className="fact fact-unknown">unknown</span>}
          {p.regions.length > 0 && <span className="muted"> ({p.regions.join(', ')})</span>}
        </span>
        <span>
          <span className="muted">retains</span> <span className={`fact ${p.retainsPrompts === null ? 'fact-unknown' : p.retainsPrompts ? 'fact-bad' : 'fact-good'}`}>{retentionText(p)}</span>
        </span>
        <span>
          <span className="muted">trains</span> <FactBadge value={fact(p.trainsOnData)} good="no" />
        </span>
        <span>
          <span className="muted">ZDR</span> <FactBadge value={fact(p.zdrAvailable)} good="yes" />
        </span>
      </div>
      <div className="endpoint-line muted">
        <span className="mono ellipsis" title={e.upstreamModel}>
          {e.providerId}:{e.upstreamModel}
        </span>
        {source ? (
          <ExternalLink href={source}>policy source{p.asOf ? ` (${p.asOf})` : ''}</ExternalLink>
        ) : (
          <span>policy: no source on file</span>
        )}
      </div>
    </li>
  );
}

type Row = { label: string; render(m: CatalogModel, endpoints: Endpoint[]): ReactNode };

const yesNo = (v: boolean | null): ReactNode => <span className={`fact ${v === null ? 'fact-unknown' : ''}`}>{fact(v)}</span>;

const ROWS: Row[] = [
  { label: 'Context', render: (m, eps) => <span className="mono">{formatTokens(contextOf(m, eps))}</span> },
  { label: 'Max output', render: (m) => <span className="mono">{formatTokens(m.maxOutput)}</span> },
  { label: 'Input', render: (m) => m.inputModalities.join(', ') || <span className="fact fact-unknown">unknown</span> },
  { label: 'Output', render: (m) => m.outputModalities.join(', ') || <span className="fact fact-unknown">unknown</span> },
  { label: 'Tools', render: (m) => yesNo(m.toolCall) },
  { label: 'Vision', render: (m) => yesNo(m.inputModalities.length ? m.inputModalities.includes('image') : null) },
  { label: 'JSON output', render: (m) => yesNo(m.structuredOutput) },
  { label: 'Reasoning', render: (m) => yesNo(m.reasoning) },
  { label: 'Open weights', render: (m) => yesNo(m.openWeights) },
  { label: 'Released', render: (m) => m.releaseDate ?? <span className="fact fact-unknown">unknown</span> },
  {
    label: 'Cheapest input',
    render: (_m, eps) => {
      const priced = eps.filter((e) => e.price).sort(byPrice);
      return priced[0] ? <span className="mono">{formatPerM(priced[0].price!.inputPerM)}/M</span> : <span className="fact fact-unknown">unknown</span>;
    },
  },
];

/** The ticked models side by side: one column each, specs aligned by row, then every endpoint. */
export function CatalogCompare({ selected, details, providerNames, targets, onAdd, onUntick, onClear }: CatalogCompareProps) {
  return (
    <section className="catalog-compare" aria-label="Side-by-side comparison" data-testid="catalog-compare">
      <div className="catalog-compare-bar">
        <h2>Comparing {selected.length}</h2>
        <span className="muted">Prices in USD per million tokens. "unknown" means the catalog has no fact for it, not "no".</span>
        <button type="button" className="btn btn-small" data-testid="catalog-compare-clear" onClick={onClear}>
          Clear selection
        </button>
      </div>
      <div className="catalog-compare-scroll">
        <table className="table spec-table" style={{ minWidth: 110 + selected.length * 300 }}>
          <thead>
            <tr>
              <th className="spec-label">
                <span className="sr-only">Spec</span>
              </th>
              {selected.map((id) => {
                const d = details[id];
                const added = targets.includes(id);
                return (
                  <th key={id} className="spec-model" data-testid="catalog-compare-model" data-model-id={id}>
                    <div className="spec-model-head">
                      <div className="spec-model-name">
                        <span className="strong">{d?.status === 'ok' ? d.model.name : id}</span>
                        <span className="mono muted">{id}</span>
                      </div>
                      <button type="button" className="btn btn-small btn-primary" data-testid="catalog-compare-add" disabled={added} onClick={() => onAdd(id)} title="Add to the compare view, routed to the best configured endpoint">
                        {added ? 'In compare' : 'Add to compare'}
                      </button>
                      <button type="button" className="btn-icon" aria-label={`Stop comparing ${id}`} onClick={() => onUntick(id)}>
                        ×
                      </button>
                    </div>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label}>
                <th scope="row" className="spec-label">
                  {row.label}
                </th>
                {selected.map((id) => {
                  const d = details[id];
                  return <td key={id}>{d?.status === 'ok' ? row.render(d.model, d.endpoints) : d?.status === 'error' ? <span className="field-error">{d.error}</span> : <span className="muted">…</span>}</td>;
                })}
              </tr>
            ))}
            <tr>
              <th scope="row" className="spec-label">
                Endpoints
              </th>
              {selected.map((id) => {
                const d = details[id];
                if (d?.status !== 'ok') return <td key={id} />;
                const eps = [...d.endpoints].sort(byPrice);
                return (
                  <td key={id}>
                    <span className="muted">{eps.length} endpoint{eps.length === 1 ? '' : 's'}, cheapest first</span>
                    <ul className="endpoint-list">
                      {eps.map((e) => {
                        const target = `${e.modelId}@${e.providerId}`;
                        return <EndpointCard key={e.id} e={e} name={providerNames.get(e.providerId) ?? e.providerId} added={targets.includes(target)} onAdd={() => onAdd(target)} />;
                      })}
                    </ul>
                  </td>
                );
              })}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}
