import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { CatalogHit } from '../../shared/contract';
import { contextOf, formatPerM, formatTokens } from '../lib/catalog';

const ROW_HEIGHT = 36;

export interface CatalogTableProps {
  hits: CatalogHit[];
  selected: string[];
  /** Targets already in the compare view's model list. */
  targets: string[];
  onToggle(modelId: string): void;
  onAdd(target: string): void;
}

/** "From" is the cheapest paid endpoint, input beside output; a free tier is said, never shown as the price. */
function FromPrice({ hit }: { hit: CatalogHit }) {
  const free = hit.freeTier ? <span className="price-free" data-testid="catalog-free-tier">free tier</span> : null;
  if (hit.minInputPerM === null) return free ?? <span className="muted">unknown</span>;
  return (
    <>
      <span data-testid="catalog-from-in">{formatPerM(hit.minInputPerM)}</span>
      <span className="muted"> / </span>
      <span data-testid="catalog-from-out">{formatPerM(hit.minOutputPerM)}</span>
      {free && <> {free}</>}
    </>
  );
}

/** Virtualised: an empty query lists hundreds of models, the DOM should hold a screenful. */
export function CatalogTable({ hits, selected, targets, onToggle, onAdd }: CatalogTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: hits.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  return (
    <div className="catalog-table" role="table" aria-label="Catalog models" aria-rowcount={hits.length + 1} data-testid="catalog-results">
      <div className="catalog-row catalog-head" role="row" aria-rowindex={1}>
        <span role="columnheader">
          <span className="sr-only">Compare</span>
        </span>
        <span role="columnheader">Model</span>
        <span role="columnheader">Name</span>
        <span role="columnheader" className="num">
          Providers
        </span>
        <span role="columnheader" className="num" title="The cheapest paid endpoint, USD per million tokens, input / output; free tiers are marked, not counted">
          From $/M in / out
        </span>
        <span role="columnheader" className="num">
          Context
        </span>
        <span role="columnheader">
          <span className="sr-only">Actions</span>
        </span>
      </div>
      <div ref={scrollRef} className="catalog-scroll">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const hit = hits[item.index]!;
            const m = hit.model;
            const isSelected = selected.includes(m.id);
            const added = targets.includes(m.id);
            const providers = new Set(hit.endpoints.map((e) => e.providerId)).size;
            return (
              <div
                key={m.id}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                className={`catalog-row${isSelected ? ' selected' : ''}`}
                data-testid="catalog-row"
                data-model-id={m.id}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={(e) => {
                  // The row is a large click target for the checkbox; its own controls act for themselves.
                  if ((e.target as HTMLElement).closest('button, input, a')) return;
                  onToggle(m.id);
                }}
              >
                <span role="cell">
                  <input type="checkbox" data-testid="catalog-select" aria-label={`Compare ${m.name}`} checked={isSelected} onChange={() => onToggle(m.id)} />
                </span>
                <span role="cell" className="mono ellipsis" title={m.aliases?.length ? `${m.id}\nalso listed as ${m.aliases.join(', ')}` : m.id}>
                  {m.id}
                </span>
                <span role="cell" className="ellipsis" title={m.name}>
                  {m.name}
                </span>
                <span role="cell" className="num mono">
                  {providers}
                </span>
                <span role="cell" className="num mono catalog-price" data-testid="catalog-from">
                  <FromPrice hit={hit} />
                </span>
                <span role="cell" className="num mono">
                  {formatTokens(contextOf(m, hit.endpoints))}
                </span>
                <span role="cell" className="catalog-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="catalog-add"
                    disabled={added}
                    title={added ? 'Already in the compare view' : `Add ${m.id} to the compare view (routed to the best configured endpoint)`}
                    onClick={() => onAdd(m.id)}
                  >
                    {added ? 'Added' : 'Add'}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
