import { useEffect, useState } from 'react';
import type { TargetFix } from '../../shared/contract';
import { useShallow } from 'zustand/react/shallow';
import { Banner } from '../components/Banner';
import { ProviderForm } from '../components/ProviderForm';
import { ProviderList } from '../components/ProviderList';
import { useApp } from '../store';

type Editing = { mode: 'closed' } | { mode: 'new'; fix?: TargetFix } | { mode: 'edit'; id: string };

export function ProvidersView() {
  const p = useApp(
    useShallow((s) => ({
      providers: s.providers,
      loaded: s.providersLoaded,
      error: s.providersError,
      tests: s.providerTests,
      keyWarning: s.settings?.keyStorage.warning ?? null,
      keyBackend: s.settings?.keyStorage.backend ?? null,
      save: s.saveProvider,
      remove: s.removeProvider,
      test: s.testProvider,
      takeFix: s.takeProviderFix,
    })),
  );
  // A Compare chip's fix opens the form at once: prefilled to add the provider, or on the provider to edit.
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const { takeFix, providers } = p;
  useEffect(() => {
    const fix = takeFix();
    if (fix) setEditing(fix.action === 'edit' && providers.some((x) => x.id === fix.providerId) ? { mode: 'edit', id: fix.providerId } : { mode: 'new', fix });
  }, [takeFix, providers]);
  const initial = editing.mode === 'edit' ? (p.providers.find((x) => x.id === editing.id) ?? null) : null;
  // 'env-only' is the engine without a keychain (the headless host, or a desktop without one): nowhere to store a typed key.
  const canStoreKeys = p.keyBackend !== 'env-only';

  return (
    <div className="providers" data-testid="providers-view">
      {p.keyWarning && (
        <Banner kind="warn" testId="key-storage-warning">
          {p.keyWarning}
        </Banner>
      )}
      <div className="providers-head">
        <h2>Providers</h2>
        <button type="button" className="btn btn-primary" data-testid="provider-add" onClick={() => setEditing({ mode: 'new' })}>
          Add provider
        </button>
      </div>
      {p.error && (
        <p className="field-error" role="alert">
          {p.error}
        </p>
      )}
      <div className="providers-body">
        <div className="providers-list-wrap">{p.loaded ? <ProviderList providers={p.providers} tests={p.tests} onTest={(id) => void p.test(id)} onEdit={(id) => setEditing({ mode: 'edit', id })} onRemove={(id) => void p.remove(id)} /> : <p className="muted">Loading…</p>}</div>
        {editing.mode !== 'closed' && (
          <ProviderForm
            key={editing.mode === 'edit' ? editing.id : 'new'}
            initial={initial}
            takenIds={p.providers.map((x) => x.id)}
            canStoreKeys={canStoreKeys}
            prefill={editing.mode === 'new' && editing.fix ? { id: editing.fix.providerId, type: editing.fix.type, baseUrl: editing.fix.baseUrl, keyEnv: editing.fix.keyEnv } : null}
            onCancel={() => setEditing({ mode: 'closed' })}
            onSubmit={async (args) => {
              const err = await p.save(args);
              if (!err) setEditing({ mode: 'closed' });
              return err;
            }}
          />
        )}
      </div>
    </div>
  );
}
