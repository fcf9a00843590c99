import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { safeHttpUrl } from '../lib/catalog';
import { useApp } from '../store';

/** Version, where the catalog comes from, its licence notice, and the source of every curated data-policy fact. */
export function AboutDialog() {
  const a = useApp(
    useShallow((s) => ({
      open: s.aboutOpen,
      setOpen: s.setAboutOpen,
      version: s.settings?.version ?? null,
      transport: s.settings?.transport ?? null,
      about: s.catalogAbout,
      providers: s.catalogProviders,
      error: s.catalogMetaError,
      loadMeta: s.loadCatalogMeta,
    })),
  );
  const ref = useRef<HTMLDialogElement>(null);
  const { open, loadMeta } = a;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      void loadMeta();
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open, loadMeta]);

  const sourced = useMemo(
    () => a.providers.filter((p) => safeHttpUrl(p.policy.sourceUrl)).sort((x, y) => x.name.localeCompare(y.name)),
    [a.providers],
  );

  return (
    <dialog
      ref={ref}
      className="about"
      aria-labelledby="about-title"
      data-testid="about-dialog"
      onClose={() => a.setOpen(false)}
      onKeyDown={(e) => {
        // Escape belongs to the dialog here, not to the window's "stop all" shortcut.
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <div className="about-head">
        <h2 id="about-title">About Switchyard</h2>
        <button type="button" className="btn-icon" aria-label="Close" data-testid="about-close" onClick={() => a.setOpen(false)}>
          ×
        </button>
      </div>
      <div className="about-body">
        <p>
          <span className="strong">Switchyard</span> <span data-testid="about-version">{a.version ? `v${a.version}` : 'version unknown'}</span>
          {a.transport && <span className="muted"> · {a.transport === 'ipc' ? 'desktop app' : 'headless host in a browser'}</span>}
        </p>
        <h3>Model catalog</h3>
        {a.about ? (
          <>
            <p>
              Prices, limits, capabilities and modalities come from a snapshot of the open{' '}
              <a href="https://models.dev" target="_blank" rel="noopener noreferrer">
                models.dev
              </a>{' '}
              database, as of <span className="strong" data-testid="about-as-of">{a.about.asOf}</span>: {a.about.stats.providers} providers, {a.about.stats.models.toLocaleString('en-US')} models,{' '}
              {a.about.stats.endpoints.toLocaleString('en-US')} endpoints
              {a.about.stats.overrides > 0 ? `, ${a.about.stats.overrides} of your price overrides` : ''}.
            </p>
            <p className="muted">
              Loaded from <span className="mono">{a.about.source}</span>
            </p>
            <h3>models.dev licence</h3>
            <pre className="about-license" data-testid="about-license" tabIndex={0}>
              {a.about.license}
            </pre>
          </>
        ) : (
          <p className={a.error ? 'field-error' : 'muted'}>{a.error ?? 'Loading…'}</p>
        )}
        <h3>Data-policy sources</h3>
        <p className="muted">
          Jurisdiction, retention, training and zero-data-retention facts are curated by hand from each provider's public terms (each with the date it was checked); anything not listed is shown as unknown.
        </p>
        <ul className="about-sources" data-testid="about-sources">
          {sourced.map((p) => (
            <li key={p.id}>
              <span className="strong">{p.name}</span> {p.policy.jurisdiction && <span className="muted">({p.policy.jurisdiction})</span>}{' '}
              <a href={safeHttpUrl(p.policy.sourceUrl)!} target="_blank" rel="noopener noreferrer">
                source
              </a>
              {p.policy.asOf && <span className="muted"> · {p.policy.asOf}</span>}
            </li>
          ))}
        </ul>
      </div>
    </dialog>
  );
}
