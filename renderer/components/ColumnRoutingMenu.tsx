import { useId, useState } from 'react';
import { RouteStrategy, type ColumnRouting } from '../../shared/domain';
import { splitList } from '../store/routingDraft';

export interface ColumnRoutingMenuProps {
  target: string;
  value: ColumnRouting | undefined;
  onChange(value: ColumnRouting | null): void;
}

/** Drops the fields left at "as the run", so an untouched menu adds nothing to the request. */
function compact(r: ColumnRouting): ColumnRouting | null {
  // What the menu has no control for (set on the command line: order, jurisdictions, …) is kept as it is.
  const out: ColumnRouting = { ...r };
  if (!r.strategy) delete out.strategy;
  if (!r.only?.length) delete out.only;
  if (!r.ignore?.length) delete out.ignore;
  if (!r.zdr) delete out.zdr;
  if (!r.noFallback) delete out.noFallback;
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k as keyof ColumnRouting];
  return Object.keys(out).length ? out : null;
}

/**
 * One column's own routing, on top of the run's: strategy, only/ignore, ZDR,
 * no fallback. The button says when something is set, so it is never hidden.
 */
export function ColumnRoutingMenu({ target, value, onChange }: ColumnRoutingMenuProps) {
  const [open, setOpen] = useState(false);
  // Typed lists stay as typed (", " included); the request gets them split.
  const [only, setOnly] = useState((value?.only ?? []).join(', '));
  const [ignore, setIgnore] = useState((value?.ignore ?? []).join(', '));
  const panel = useId();
  const v = value ?? {};
  const update = (patch: ColumnRouting) => onChange(compact({ ...v, ...patch }));
  const count = Object.keys(v).length;
  return (
    <>
      <button
        type="button"
        className={`chip-x chip-routing${count ? ' set' : ''}`}
        aria-expanded={open}
        aria-controls={panel}
        aria-label={`routing for ${target}${count ? ` (${count} set)` : ''}`}
        title={count ? `This column's own routing: ${JSON.stringify(v)}` : "Set this column's own routing"}
        data-testid="chip-routing"
        onClick={() => setOpen(!open)}
      >
        ⚙{count ? <span className="chip-routing-count">{count}</span> : null}
      </button>
      {open && (
        <div className="chip-menu" id={panel} role="group" aria-label={`routing for ${target}`} data-testid="chip-routing-menu">
          <label className="param">
            <span>strategy</span>
            <select className="input" data-testid="chip-routing-strategy" value={v.strategy ?? ''} onChange={(e) => update({ strategy: (e.target.value || undefined) as ColumnRouting['strategy'] })}>
              <option value="">as the run</option>
              {RouteStrategy.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="param">
            <span>only</span>
            <input className="input mono" data-testid="chip-routing-only" value={only} placeholder="as the run" onChange={(e) => {
                setOnly(e.target.value);
                update({ only: splitList(e.target.value) });
              }} />
          </label>
          <label className="param">
            <span>ignore</span>
            <input className="input mono" data-testid="chip-routing-ignore" value={ignore} placeholder="as the run" onChange={(e) => {
                setIgnore(e.target.value);
                update({ ignore: splitList(e.target.value) });
              }} />
          </label>
          <label className="param param-check">
            <input type="checkbox" data-testid="chip-routing-zdr" checked={Boolean(v.zdr)} onChange={(e) => update({ zdr: e.target.checked })} />
            <span>zero data retention</span>
          </label>
          <label className="param param-check">
            <input type="checkbox" data-testid="chip-routing-no-fallback" checked={Boolean(v.noFallback)} onChange={(e) => update({ noFallback: e.target.checked })} />
            <span>no fallback</span>
          </label>
        </div>
      )}
    </>
  );
}
