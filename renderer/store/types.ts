import type { StateCreator } from 'zustand/vanilla';
import type { ContractClient } from '../../shared/contract';
import type { CompareSlice } from './compareSlice';
import type { HistorySlice } from './historySlice';
import type { ProvidersSlice } from './providersSlice';
import type { SettingsSlice } from './settingsSlice';
import type { UiSlice } from './uiSlice';
import type { FrameScheduler } from './frames';

export type AppState = CompareSlice & HistorySlice & ProvidersSlice & SettingsSlice & UiSlice;

/** Slices are written against the root's middleware (persist), which only the root applies. */
export type SliceCreator<S> = StateCreator<AppState, [['zustand/persist', unknown]], [], S>;

export interface StoreDeps {
  client: ContractClient;
  frames: FrameScheduler;
}
