import type { Settings } from '../../shared/contract';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export interface SettingsSlice {
  settings: Settings | null;
  settingsError: string | null;
  loadSettings(): Promise<void>;
  saveModelSet(name: string, targets: string[]): Promise<string | null>;
  deleteModelSet(name: string): Promise<void>;
}

export const createSettingsSlice =
  (deps: StoreDeps): SliceCreator<SettingsSlice> =>
  (set, get) => ({
    settings: null,
    settingsError: null,
    loadSettings: async () => {
      try {
        set({ settings: await deps.client.settings.getSettings({}), settingsError: null });
      } catch (err) {
        set({ settingsError: errorMessage(err) });
      }
    },
    saveModelSet: async (name, targets) => {
      try {
        await deps.client.settings.saveModelSet({ name, targets });
        await get().loadSettings();
        return null;
      } catch (err) {
        return errorMessage(err);
      }
    },
    deleteModelSet: async (name) => {
      try {
        await deps.client.settings.deleteModelSet({ name });
        await get().loadSettings();
      } catch (err) {
        get().setNotice(`delete failed: ${errorMessage(err)}`);
      }
    },
  });
