import type { z } from 'zod';
import type { BudgetView, SpendEntry, SpendRow, spendContract } from '../../shared/contract';
import { sinceFor, type SpendPeriod } from '../lib/spend';
import { errorMessage } from '../transport/build';
import type { SliceCreator, StoreDeps } from './types';

export type SaveBudgetInput = z.input<(typeof spendContract)['saveBudget']['args']>;

/** Ledger rows fetched for cost per run and the scatter; the day/provider/model sums come from the engine. */
export const SPEND_ENTRY_LIMIT = 20_000;

export interface SpendData {
  sinceMs: number;
  totalUsd: number;
  byDay: SpendRow[];
  byProvider: SpendRow[];
  byModel: SpendRow[];
  /** The most recent ledger rows of the period, oldest first. */
  entries: SpendEntry[];
}

export interface SpendSlice {
  spendPeriod: SpendPeriod;
  spend: SpendData | null;
  spendLoading: boolean;
  spendError: string | null;
  budgets: BudgetView[];
  budgetsLoaded: boolean;
  budgetsError: string | null;
  setSpendPeriod(period: SpendPeriod): void;
  loadSpend(): Promise<void>;
  /** Resolves with the file to save, or null (the failure is in the notice). */
  exportSpendCsv(): Promise<{ csv: string; filename: string } | null>;
  loadBudgets(): Promise<void>;
  /** Resolves with an error message for the form, or null on success. */
  saveBudget(input: SaveBudgetInput): Promise<string | null>;
  removeBudget(id: string): Promise<void>;
}

export const createSpendSlice =
  (deps: StoreDeps, now: () => number = Date.now): SliceCreator<SpendSlice> =>
  (set, get) => {
    let seq = 0;
    const budgetsChanged = (): void => {
      // A new or removed cap changes what the pre-flight says about the current draft.
      get().schedulePreflight(0);
    };
    return {
      spendPeriod: '30d',
      spend: null,
      spendLoading: false,
      spendError: null,
      budgets: [],
      budgetsLoaded: false,
      budgetsError: null,

      setSpendPeriod: (spendPeriod) => {
        set({ spendPeriod });
        void get().loadSpend();
      },

      loadSpend: async () => {
        const mine = ++seq;
        const sinceMs = sinceFor(get().spendPeriod, now());
        set({ spendLoading: true });
        try {
          const { spend } = deps.client;
          const [day, provider, model, entries] = await Promise.all([
            spend.getSummary({ sinceMs, by: 'day' }),
            spend.getSummary({ sinceMs, by: 'provider' }),
            spend.getSummary({ sinceMs, by: 'model' }),
            spend.listEntries({ sinceMs, limit: SPEND_ENTRY_LIMIT }),
          ]);
          if (mine !== seq) return;
          set({
            spend: { sinceMs, totalUsd: day.totalUsd, byDay: day.rows, byProvider: provider.rows, byModel: model.rows, entries },
            spendLoading: false,
            spendError: null,
          });
        } catch (err) {
          if (mine === seq) set({ spendLoading: false, spendError: errorMessage(err) });
        }
      },

      exportSpendCsv: async () => {
        try {
          return await deps.client.spend.exportCsv({ sinceMs: sinceFor(get().spendPeriod, now()) });
        } catch (err) {
          get().setNotice(`export failed: ${errorMessage(err)}`);
          return null;
        }
      },

      loadBudgets: async () => {
        try {
          set({ budgets: await deps.client.spend.listBudgets({}), budgetsLoaded: true, budgetsError: null });
        } catch (err) {
          set({ budgetsLoaded: true, budgetsError: errorMessage(err) });
        }
      },

      saveBudget: async (input) => {
        try {
          await deps.client.spend.saveBudget(input);
        } catch (err) {
          return errorMessage(err);
        }
        await get().loadBudgets();
        budgetsChanged();
        return null;
      },

      removeBudget: async (id) => {
        try {
          await deps.client.spend.removeBudget({ id });
          set((s) => ({ budgets: s.budgets.filter((b) => b.id !== id) }));
          budgetsChanged();
        } catch (err) {
          get().setNotice(`remove failed: ${errorMessage(err)}`);
        }
      },
    };
  };
