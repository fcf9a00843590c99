import { useEffect, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { AboutDialog } from './components/AboutDialog';
import { Banner } from './components/Banner';
import { installShortcuts, isMac } from './shortcuts';
import { useApp, useAppStore } from './store';
import type { View } from './store/uiSlice';
import type { TransportKind } from './transport';
import { CatalogView } from './views/CatalogView';
import { CompareView } from './views/CompareView';
import { EndpointsView } from './views/EndpointsView';
import { HistoryView } from './views/HistoryView';
import { ProvidersView } from './views/ProvidersView';
import { SpendView } from './views/SpendView';

const TABS: Array<{ view: View; label: string; key: string }> = [
  { view: 'compare', label: 'Compare', key: '1' },
  { view: 'history', label: 'History', key: '2' },
  { view: 'providers', label: 'Providers', key: '3' },
  { view: 'catalog', label: 'Catalog', key: '4' },
  { view: 'spend', label: 'Spend', key: '5' },
  { view: 'endpoints', label: 'Endpoints', key: '6' },
];

/** ArrowLeft/ArrowRight (wrapping), Home and End select a tab and move focus to it. */
export function onTabKey(e: KeyboardEvent<HTMLElement>, view: View, setView: (v: View) => void): void {
  const at = TABS.findIndex((t) => t.view === view);
  const to = { ArrowRight: (at + 1) % TABS.length, ArrowLeft: (at - 1 + TABS.length) % TABS.length, Home: 0, End: TABS.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const next = TABS[to]!;
  setView(next.view);
  e.currentTarget.querySelector<HTMLElement>(`[data-testid="nav-${next.view}"]`)?.focus();
}

export function App({ transport, problem }: { transport: TransportKind; problem: string | null }) {
  const store = useAppStore();
  const { view, notice, version, settingsError } = useApp(
    useShallow((s) => ({ view: s.view, notice: s.notice, version: s.settings?.version ?? null, settingsError: s.settingsError })),
  );
  const setView = useApp((s) => s.setView);
  const setNotice = useApp((s) => s.setNotice);
  const setAboutOpen = useApp((s) => s.setAboutOpen);

  useEffect(() => {
    const s = store.getState();
    const disconnect = s.connectEvents();
    // After a reload: a run still streaming comes back, live, and so does the form as it was typed.
    void s.resumeActive();
    const stopDraft = s.keepDraft();
    void s.loadSettings();
    void s.loadProviders();
    const uninstall = installShortcuts(store);
    return () => {
      disconnect();
      stopDraft();
      uninstall();
    };
  }, [store]);

  const mod = isMac() ? '⌘' : 'Ctrl+';
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Switchyard</span>
        <nav className="tabs" role="tablist" aria-label="Views" onKeyDown={(e) => onTabKey(e, view, setView)}>
          {TABS.map((t) => (
            <button
              key={t.view}
              type="button"
              role="tab"
              aria-selected={view === t.view}
              // One tab stop for the whole list; the arrow keys move between tabs (WAI-ARIA tabs pattern).
              tabIndex={view === t.view ? 0 : -1}
              className={`tab${view === t.view ? ' active' : ''}`}
              data-testid={`nav-${t.view}`}
              title={`${t.label} (${mod}${t.key} or Alt+${t.key})`}
              onClick={() => setView(t.view)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <span className="topbar-info muted" data-testid="transport">
          {transport === 'ipc' ? 'desktop' : 'browser'}
          {version ? ` · v${version}` : ''}
        </span>
        <button type="button" className="btn-icon topbar-about" data-testid="nav-about" onClick={() => setAboutOpen(true)}>
          About
        </button>
      </header>
      {problem && <Banner kind="error">{problem}</Banner>}
      {!problem && settingsError && <Banner kind="error">Cannot reach the engine: {settingsError}</Banner>}
      {notice && (
        <Banner kind="error" testId="notice" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      <div className="view" role="tabpanel">
        {view === 'compare' && <CompareView />}
        {view === 'history' && <HistoryView />}
        {view === 'providers' && <ProvidersView />}
        {view === 'catalog' && <CatalogView />}
        {view === 'spend' && <SpendView />}
        {view === 'endpoints' && <EndpointsView />}
      </div>
      <AboutDialog />
    </div>
  );
}
