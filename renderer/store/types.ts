import type { StateCreator } from 'zustand/vanilla';
import type { ContractClient } from '../../shared/contract';
import type { CatalogSlice } from './catalogSlice';
import type { CompareSlice } from './compareSlice';
import type { EndpointsSlice } from './endpointsSlice';
import type { ExportSlice } from './exportSlice';
import type { HistorySlice } from './historySlice';
import type { PreflightSlice } from './preflightSlice';
import type { PromptsSlice } from './promptsSlice';
import type { ProvidersSlice } from './providersSlice';
import type { SettingsSlice } from './settingsSlice';
import type { SpendSlice } from './spendSlice';
import type { TargetsSlice } from './targetsSlice';
import type { UiSlice } from './uiSlice';
import type { FrameScheduler } from './frames';

export type AppState = CompareSlice & HistorySlice & ProvidersSlice & SettingsSlice & UiSlice & CatalogSlice & SpendSlice & EndpointsSlice & PreflightSlice & TargetsSlice & ExportSlice & PromptsSlice;

/** Slices are written against the root's middleware (persist), which only the root applies. */
export type SliceCreator<S> = StateCreator<AppState, [['zustand/persist', unknown]], [], S>;

export interface StoreDeps {
  client: ContractClient;
  frames: FrameScheduler;
}
