/** `switchyard catalog list|show|refresh|import|export|override`. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { parseCatalogDocument, CatalogFormatError } from '../../engine/catalog/document';
import { refreshFromOpenRouter } from '../../engine/catalog/openrouter-refresh';
import { InputLimitError, LIMITS, readBoundedFile } from '../../engine/limits';
import { parseTarget } from '../../../shared/targets';
import { CliExit, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { fmtUsd, table } from '../output';
import { num } from '../parse';
import { quote } from '../../../shared/quote';
import { describeSystemError, showPath } from '../../engine/system-errors';

const perM = (v: number | null | undefined) => (v == null ? '-' : `$${v}`);

export function registerCatalog(program: Command, withCtx: WithCtx) {
  const catalog = program.command('catalog').description('the offline model catalog: models, endpoints, prices, limits and data policies');

  catalog
    .command('list')
    .description('list catalog models (with --json: every provider and endpoint that matches)')
    .option('--json', 'print JSON { asOf, providers, models, endpoints }')
    .option('--provider <id>', 'only this provider')
    .option('--search <query>', 'search words (id, name, family, provider)')
    .option('--limit <n>', 'rows in the table', num('--limit', 1, 100_000, true), 50)
    .action(async (f: { json?: boolean; provider?: string; search?: string; limit: number }) => {
      await withCtx(async (ctx) => {
        const cat = ctx.catalog.full();
        if (f.provider && !cat.getProvider(f.provider)) throw new CliExit(`unknown catalog provider ${quote(f.provider)}`, EXIT_USAGE);
        const hits = cat.search({ query: f.search, provider: f.provider, sort: f.search ? 'relevance' : 'name', limit: f.json ? 1_000_000 : f.limit });
        if (f.json) {
          const endpoints = hits.flatMap((h) => h.endpoints).filter((e) => !f.provider || e.providerId === f.provider);
          const providerIds = new Set(endpoints.map((e) => e.providerId));
          const providers = f.provider || f.search ? cat.listProviders().filter((p) => providerIds.has(p.id)) : cat.listProviders();
          process.stdout.write(JSON.stringify({ asOf: cat.asOf, providers, models: hits.map((h) => h.model), endpoints }) + '\n');
          return EXIT_OK;
        }
        process.stdout.write(
          table(
            ['model', 'name', 'providers', 'from $/M in', '$/M out', 'free tier', 'context'],
            hits.map((h) => [
              h.model.id + (h.model.aliases?.length ? ` (also ${h.model.aliases.join(', ')})` : ''), h.model.name, String(h.endpoints.length),
              perM(h.minInputPerM), perM(h.minOutputPerM), h.freeTier ? 'yes' : '-', h.model.contextWindow ? String(h.model.contextWindow) : '-',
            ]),
          ) + `\n${hits.length} model(s) shown · catalog as of ${cat.asOf} (models.dev, MIT)\n`,
        );
        return EXIT_OK;
      }, 'read');
    });

  catalog
    .command('show')
    .description('one model and every endpoint that serves it')
    .argument('<model-id>')
    .option('--json', 'print JSON')
    .action(async (modelId: string, f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const cat = ctx.catalog.full();
        const model = cat.getModel(modelId);
        if (!model) {
          const near = cat.search({ query: modelId, limit: 3 }).map((h) => h.model.id);
          throw new CliExit(`unknown model ${quote(modelId)}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`, EXIT_USAGE);
        }
        const endpoints = cat.endpointsFor(modelId);
        if (f.json) {
          process.stdout.write(JSON.stringify({ model, endpoints }, null, 2) + '\n');
          return EXIT_OK;
        }
        process.stdout.write(`${model.id} — ${model.name}\n\n`);
        process.stdout.write(
          table(
            ['provider', 'upstream model', '$/M in', '$/M out', '$/M cached', 'context', 'jurisdiction', 'ZDR', 'trains'],
            endpoints.map((e) => [e.providerId, e.upstreamModel, perM(e.price?.inputPerM), perM(e.price?.outputPerM), perM(e.price?.cacheReadPerM), e.contextWindow ? String(e.contextWindow) : '-', e.policy.jurisdiction ?? 'unknown', e.policy.zdrAvailable == null ? 'unknown' : e.policy.zdrAvailable ? 'yes' : 'no', e.policy.trainsOnData == null ? 'unknown' : e.policy.trainsOnData ? 'yes' : 'no']),
          ) + '\n',
        );
        return EXIT_OK;
      }, 'read');
    });

  catalog
    .command('refresh')
    .description("refresh prices and models from OpenRouter's public API (your overrides are kept)")
    .option('--url <base>', 'OpenRouter API base URL', process.env.SWITCHYARD_OPENROUTER_URL ?? 'https://openrouter.ai/api/v1')
    .action(async (f: { url: string }) => {
      await withCtx(async (ctx) => {
        if (!/^https?:\/\/[^\s/]+/.test(f.url) || !URL.canParse(f.url)) throw new CliExit(`invalid --url ${quote(f.url)}: expected an http(s) URL like https://openrouter.ai/api/v1`, EXIT_USAGE);
        const r = await refreshFromOpenRouter({ base: ctx.catalog.full().toJSON(), baseUrl: f.url, signal: AbortSignal.timeout(60_000) }).catch((err: unknown) => {
          throw new CliExit(`catalog refresh failed: ${err instanceof Error ? err.message : String(err)} (the offline catalog is unchanged)`, 2);
        });
        ctx.catalog.replace(r.document);
        const s = r.stats;
        process.stdout.write(`catalog refreshed from ${f.url}: ${s.listed} listed, ${s.added} added, ${s.updated} updated${r.errors.length ? `, ${r.errors.length} endpoint lists failed` : ''}\n`);
        return EXIT_OK;
      });
    });

  catalog
    .command('import')
    .description('replace your catalog with a JSON file exported by catalog export')
    .argument('<file>')
    .action(async (file: string) => {
      await withCtx(async (ctx) => {
        let text: string;
        try {
          text = (await readBoundedFile(file, LIMITS.catalogFile, 'catalog file')).toString('utf8');
        } catch (err) {
          if (err instanceof InputLimitError) throw new CliExit(err.message, EXIT_USAGE);
          throw new CliExit(describeSystemError(err, { action: 'read', path: file }) ?? `cannot read ${showPath(file)}`, EXIT_USAGE);
        }
        try {
          const doc = parseCatalogDocument(text);
          ctx.catalog.replace(doc);
          process.stdout.write(`imported ${doc.providers.length} providers, ${doc.endpoints.length} endpoints (as of ${doc.asOf})\n`);
        } catch (err) {
          if (err instanceof CatalogFormatError) throw new CliExit(`${showPath(file)}: ${err.message}`, EXIT_USAGE);
          throw err;
        }
        return EXIT_OK;
      });
    });

  catalog
    .command('export')
    .description('write the catalog (with your overrides) to a JSON file')
    .argument('<file>')
    .action(async (file: string) => {
      await withCtx(async (ctx) => {
        const doc = ctx.catalog.full().toJSON();
        try {
          writeFileSync(file, JSON.stringify(doc));
        } catch (err) {
          throw new CliExit(describeSystemError(err, { action: 'write', path: file }) ?? `cannot write ${showPath(file)}`, EXIT_USAGE);
        }
        process.stdout.write(`exported ${doc.providers.length} providers, ${doc.endpoints.length} endpoints to ${showPath(file)}\n`);
        return EXIT_OK;
      }, 'read');
    });

  catalog
    .command('override')
    .description('set your own price for an endpoint (USD per million tokens); survives refreshes; past runs keep their recorded cost')
    .argument('<endpoint>', 'model-id@provider or provider:upstream-model')
    .requiredOption('--input <usd>', 'USD per million input tokens', num('--input', 0, 1_000_000))
    .requiredOption('--output <usd>', 'USD per million output tokens', num('--output', 0, 1_000_000))
    .option('--cached <usd>', 'USD per million cached input tokens', num('--cached', 0, 1_000_000))
    .action(async (spec: string, f: { input: number; output: number; cached?: number }) => {
      await withCtx(async (ctx) => {
        let step;
        try {
          step = parseTarget(spec).steps;
        } catch (err) {
          throw new CliExit((err as Error).message, EXIT_USAGE);
        }
        if (step.length !== 1 || step[0]!.kind === 'model') throw new CliExit(`override needs model-id@provider or provider:upstream-model, got ${quote(spec)}`, EXIT_USAGE);
        const s = step[0]!;
        const cat = ctx.catalog.full();
        let providerId: string;
        let upstreamModel: string;
        let modelId: string | null = null;
        if (s.kind === 'pinned') {
          const ep = cat.endpointsFor(s.modelId).find((e) => e.providerId === s.provider);
          if (!ep) throw new CliExit(`provider ${quote(s.provider)} does not serve ${quote(s.modelId)} in the catalog; use ${s.provider}:<upstream-model>`, EXIT_USAGE);
          providerId = ep.providerId;
          upstreamModel = ep.upstreamModel;
          modelId = s.modelId;
        } else {
          providerId = s.provider;
          upstreamModel = s.upstreamModel;
          if (!cat.getProvider(providerId) && !ctx.store.providers.get(providerId)) {
            throw new CliExit(`unknown provider ${quote(providerId)}: neither configured nor in the catalog (see switchyard providers list)`, EXIT_USAGE);
          }
          modelId = cat.findEndpoint(providerId, upstreamModel)?.modelId ?? null;
        }
        const price = { inputPerM: f.input, outputPerM: f.output, cacheReadPerM: f.cached ?? null, cacheWritePerM: null, reasoningPerM: null, tiers: [] };
        ctx.store.catalog.putOverride({ providerId, upstreamModel, modelId, price }, Date.now());
        process.stdout.write(`override saved: ${providerId}:${upstreamModel} input ${fmtUsd(f.input)}/M, output ${fmtUsd(f.output)}/M${f.cached === undefined ? '' : `, cached input ${fmtUsd(f.cached)}/M`}\n`);
        return EXIT_OK;
      });
    });
}
