/**
 * Window-level shortcuts. Handlers that consume a key (a dropdown closing on
 * Escape) call preventDefault, and those keys are left alone here.
 */
import type { AppStore } from './store';
import type { View } from './store/uiSlice';

const VIEWS: Record<string, View> = { Digit1: 'compare', Digit2: 'history', Digit3: 'providers', Digit4: 'catalog', Digit5: 'spend', Digit6: 'endpoints' };

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

export function sendShortcutLabel(): string {
  return isMac() ? '⌘↵' : 'Ctrl+↵';
}

/** Opens the prompt library. */
export function libraryShortcutLabel(): string {
  return isMac() ? '⌘L' : 'Ctrl+L';
}

export function handleShortcut(e: KeyboardEvent, store: AppStore): boolean {
  if (e.defaultPrevented) return false;
  const mod = e.ctrlKey || e.metaKey;
  const s = store.getState();
  if (mod && e.key === 'Enter') {
    if (s.view !== 'compare') return false;
    void s.send();
    return true;
  }
  if (mod && !e.altKey && !e.shiftKey && e.code === 'KeyL') {
    // Over the browser's own Ctrl+L (the address bar): in this page the library is what the key means.
    if (s.view !== 'compare') s.setView('compare');
    s.setLibraryOpen(true);
    return true;
  }
  // Browsers keep Ctrl+1..3 for their own tabs, so Alt+1..3 does the same in the headless host's page.
  const view = VIEWS[e.code];
  if (view && !e.shiftKey && ((mod && !e.altKey) || (e.altKey && !mod))) {
    s.setView(view);
    return true;
  }
  if (e.key === 'Escape' && !mod) {
    if (!Object.values(s.live).some((r) => r.status === 'running')) return false;
    void s.stopAll();
    return true;
  }
  return false;
}

export function installShortcuts(store: AppStore): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (handleShortcut(e, store)) e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
