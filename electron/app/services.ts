/**
 * The contract's handlers, once, for both transports (Electron IPC and the
 * headless host's HTTP). A missing handler fails to compile (ContractHandlers).
 */
import { ingestAttachment } from '../engine/attachments';
import type { CompareEvent } from '../../shared/domain';
import { SavedDraft, type ContractHandlers, type ModelOption } from '../../shared/contract';
import { THUMBNAIL_MAX_BYTES, type PastAttachment } from '../../shared/contract/history';
import { openAppContext, type AppContext } from './context';
import type { KeyVault } from '../engine/keys';
import { UserError } from '../engine/errors';
import { estimateRun } from '../engine/estimate';
import { checkTargets } from '../engine/check-targets';
import { CountAborted } from '../engine/tokens';
import { dataHandlers } from './handlers-data';
import { quote } from '../../shared/quote';
import { exportRunsFor } from './export-run';
import { deleteRunWithFiles, DRAFT_KEY } from './attachment-gc';
import { promptHandlers } from './prompt-library';

export const APP_VERSION = '0.1.0';


/** A stored draft that no longer parses (written by another version) is no draft, not an error on every load. */
function readDraft(raw: string | null): SavedDraft | null {
  if (raw === null) return null;
  try {
    const parsed = SavedDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface App {
  ctx: AppContext;
  handlers: ContractHandlers;
  onEvent(listener: (e: CompareEvent) => void): () => void;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  dataDir?: string;
  keyVault?: KeyVault | null;
  transport: 'ipc' | 'http';
  env?: NodeJS.ProcessEnv;
  /** Variables the host may read as keys beyond the naming pattern (`switchyard serve --key-env`). */
  keyEnv?: readonly string[];
}

export function modelOptions(ctx: AppContext, query: string | undefined, limit = 300): ModelOption[] {
  const q = query?.trim().toLowerCase() ?? '';
  const out: ModelOption[] = [];
  const seen = new Set<string>();
  const push = (o: ModelOption) => {
    if (seen.has(o.target) || (q && !`${o.target} ${o.label}`.toLowerCase().includes(q))) return;
    seen.add(o.target);
    out.push(o);
  };
  const providers = ctx.providers.list();
  for (const p of providers) for (const s of p.serves) push({ target: s.modelId, label: `${s.modelId} (via ${p.id})`, provider: p.id, modelId: s.modelId });
  for (const p of providers) {
    if (!p.catalogProvider) continue;
    for (const e of ctx.catalog.endpointsOfProvider(p.catalogProvider)) {
      if (out.length >= limit) return out;
      push({ target: `${p.id}:${e.upstreamModel}`, label: `${e.modelId} on ${p.id}`, provider: p.id, modelId: e.modelId });
    }
  }
  // What each provider listed when it was last tested (a local server, a gateway the catalog does not know).
  const listed = ctx.store.providers.listedModels();
  for (const p of providers) {
    for (const m of listed.get(p.id) ?? []) {
      if (out.length >= limit) return out;
      push({ target: `${p.id}:${m}`, label: `${m} on ${p.id}`, provider: p.id, modelId: null });
    }
  }
  return out.slice(0, limit);
}

/** A past run's file as History shows it: what is stored of it, and an image's bytes when small enough for a thumbnail. */
function pastAttachment(ctx: AppContext, hash: string): PastAttachment {
  const meta = ctx.store.attachments.meta(hash);
  if (!meta) return { hash, stored: false, mime: null, size: null, dataBase64: null };
  const thumb = meta.mime.startsWith('image/') && meta.size <= THUMBNAIL_MAX_BYTES;
  const bytes = thumb ? ctx.store.attachments.bytes(hash) : null;
  return { hash, stored: true, mime: meta.mime, size: meta.size, dataBase64: bytes ? bytes.toString('base64') : null };
}

export function createApp(opts: CreateAppOptions): App {
  const ctx = openAppContext({
    dataDir: opts.dataDir, vault: opts.keyVault ?? null, env: opts.env,
    keyPolicy: { surface: opts.transport, keyEnv: opts.keyEnv ?? [] },
  });
  const vault = opts.keyVault ?? null;
  // The UI estimates as the user types: a newer estimate makes the one in flight worthless, so it stops counting.
  let estimating: AbortController | null = null;
  const handlers: ContractHandlers = {
    compare: {
      async startRun(args) {
        const { source, ...request } = args;
        const { runId, columns, leftOut, done } = ctx.engine.start(request, { source: source ?? 'window' });
        done.catch(() => {});
        return { runId, columns, ...(leftOut.length ? { leftOut } : {}) };
      },
      async cancelRun({ runId }) {
        return { ok: ctx.engine.cancelRun(runId) };
      },
      async cancelColumn({ runId, columnId }) {
        return { ok: ctx.engine.cancelColumn(runId, columnId) };
      },
      async retryColumn({ runId, columnId }) {
        // Validate synchronously so a bad request is an error now, then stream in the background.
        const p = ctx.engine.retryColumn(runId, columnId);
        p.catch(() => {});
        await Promise.race([p, new Promise((r) => setTimeout(r, 0))]);
        return { ok: true };
      },
      async estimateRun(args) {
        estimating?.abort();
        const mine = new AbortController();
        estimating = mine;
        try {
          return await estimateRun(ctx, args, mine.signal);
        } catch (err) {
          if (err instanceof CountAborted) throw new UserError('estimate superseded by a newer one');
          throw err;
        } finally {
          if (estimating === mine) estimating = null;
        }
      },
      async followUp({ runId, prompt, column, toolResults, attachments }) {
        const { turn, columns, warnings, done } = ctx.engine.followUp(runId, prompt, { column, toolResults, attachments });
        done.catch(() => {});
        return { runId, turn, columns, warnings };
      },
      async listActive() {
        return ctx.engine.listActive();
      },
      async addAttachment({ name, dataBase64 }) {
        return ingestAttachment(ctx.store, name, Buffer.from(dataBase64, 'base64'));
      },
      async checkTargets({ targets }) {
        return checkTargets(targets, {
          providers: ctx.engine.providerMap(),
          catalog: ctx.catalog,
          prepare: (target) => void ctx.engine.prepare({ messages: [{ role: 'user', content: '.' }], targets: [target] }),
        });
      },
    },
    history: {
      async listRuns(args) {
        return ctx.store.runs.listRuns(args);
      },
      async getRun({ runId }) {
        const run = ctx.store.runs.getRun(runId);
        if (!run) throw new UserError(`no run ${quote(runId)}`, 'not_found');
        return run;
      },
      async exportRuns({ runIds, format }) {
        const out = exportRunsFor(ctx, runIds, format);
        ctx.audit.append({ kind: 'export', what: 'runs', runIds: [...runIds], format, to: 'window', entries: null });
        return out;
      },
      async getStats({ countColumns }) {
        return ctx.store.runs.stats({ countColumns });
      },
      async setTags({ runId, tags }) {
        return { tags: ctx.store.labels.setTags(runId, tags) };
      },
      async setNote({ runId, note }) {
        return { note: ctx.store.labels.setNote(runId, note) };
      },
      async listTags() {
        return { tags: ctx.store.labels.knownTags() };
      },
      async getAttachment({ hash }) {
        return pastAttachment(ctx, hash);
      },
      async deleteRun({ runId }) {
        if (ctx.engine.isActive(runId)) throw new UserError('stop the run before deleting it');
        // The files only this run used go with it (attachment-gc.ts).
        const { ok } = deleteRunWithFiles(ctx.store, runId);
        if (ok) ctx.audit.append({ kind: 'run-delete', runId });
        return { ok };
      },
    },
    providers: {
      async listProviders() {
        return ctx.providers.list().map((p) => ctx.providers.view(p));
      },
      async saveProvider(args) {
        const existing = ctx.store.providers.get(args.id);
        if (existing && existing.type !== args.type && !args.replace) {
          throw new UserError(`provider ${quote(args.id)} already exists with type ${existing.type}: confirm the change to ${args.type} (replace)`);
        }
        const saved = await ctx.providers.save({
          id: args.id, type: args.type, baseUrl: args.baseUrl, apiKey: args.apiKey,
          apiKeyEnv: args.apiKeyEnv ? [args.apiKeyEnv] : undefined, serves: args.serves,
          catalogProvider: ctx.catalog.providerInfo(args.id) ? args.id : undefined,
        });
        return ctx.providers.view(saved);
      },
      async removeProvider({ id }) {
        ctx.providers.remove(id);
        return { ok: true };
      },
      async testProvider({ id }) {
        return ctx.providers.test(id);
      },
      async listModels({ query }) {
        return modelOptions(ctx, query);
      },
    },
    settings: {
      async getSettings() {
        return {
          modelSets: ctx.store.settings.listModelSets(),
          keyStorage: vault
            ? { backend: vault.backend, secure: vault.secure, warning: vault.warning }
            : { backend: 'env-only', secure: true, warning: opts.transport === 'http' ? null : 'no keychain available: keys can only come from environment variables' },
          transport: opts.transport,
          version: APP_VERSION,
          catalogAsOf: ctx.catalog.asOf(),
        };
      },
      async saveModelSet({ name, targets }) {
        ctx.store.settings.saveModelSet(name, targets, Date.now());
        return { ok: true };
      },
      async deleteModelSet({ name }) {
        return { ok: ctx.store.settings.deleteModelSet(name) };
      },
      async saveDraft({ draft }) {
        ctx.store.settings.put(DRAFT_KEY, JSON.stringify(draft));
        return { ok: true };
      },
      async getDraft() {
        return { draft: readDraft(ctx.store.settings.get(DRAFT_KEY)) };
      },
    },
    ...dataHandlers(ctx),
    ...promptHandlers(ctx.store),
  };
  return {
    ctx,
    handlers,
    onEvent: (l) => ctx.engine.onEvent(l),
    close: () => ctx.close(),
  };
}
