/**
 * The headless host puts a per-launch token in the URL hash (`#token=…`), which
 * never reaches server logs. Keep it for this tab only and take it out of the
 * address bar so it is not shared by a copied link or a screenshot.
 */
const KEY = 'switchyard.token';

export interface TokenEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  history: Pick<History, 'replaceState' | 'state'>;
}

export function takeToken(env: TokenEnv): string | null {
  const fromHash = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    env.storage.setItem(KEY, fromHash);
    env.history.replaceState(env.history.state, '', env.location.pathname + env.location.search);
    return fromHash;
  }
  return env.storage.getItem(KEY);
}
