/** `switchyard providers add|list|remove|test`. */
import type { Command } from 'commander';
import { ProviderType } from '../../../shared/domain';
import { parseServe } from '../../engine/providers-service';
import { CliExit, EXIT_NOT_OK, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { collect, } from '../parse';
import { table } from '../output';
import { quote } from '../../../shared/quote';


export function registerProviders(program: Command, withCtx: WithCtx) {
  const providers = program.command('providers').description('manage your providers and keys (keys are referenced by environment variable, never stored)');

  providers
    .command('add')
    .description('add or update a provider')
    .argument('<id>', 'provider id, e.g. openai, groq, my-vllm')
    .requiredOption('--type <type>', 'wire protocol: openai|anthropic|gemini')
    .option('--base-url <url>', 'e.g. https://api.openai.com/v1, https://api.anthropic.com/v1, https://generativelanguage.googleapis.com/v1beta')
    .option('--api-key-env <var>', 'environment variable holding the key (repeat for several keys: rotated)', collect)
    .option('--serve <model-id=upstream>', 'serve a catalog model id with this upstream model (repeatable)', collect)
    .option('--catalog-provider <id>', 'catalog provider this one stands for (prices, policies); defaults to the id')
    .option('--replace', 'allow changing the --type of an existing provider')
    .action(async (id: string, f: { type: string; baseUrl?: string; apiKeyEnv?: string[]; serve?: string[]; catalogProvider?: string; replace?: boolean }) => {
      await withCtx(async (ctx) => {
        const type = ProviderType.safeParse(f.type);
        if (!type.success) throw new CliExit(`invalid --type ${quote(f.type)}: expected openai, anthropic or gemini`, EXIT_USAGE);
        const existing = ctx.store.providers.get(id);
        // Another protocol against the same URL and keys is rarely what was meant: say so instead of switching silently.
        if (existing && existing.type !== type.data && !f.replace) {
          throw new CliExit(`provider ${quote(id)} already exists with --type ${existing.type}: pass --replace to change it to ${type.data}`, EXIT_USAGE);
        }
        const serves = (f.serve ?? []).map(parseServe);
        let apiKeyEnv = f.apiKeyEnv;
        const known = ctx.catalog.providerInfo(f.catalogProvider ?? id);
        if (!apiKeyEnv && !existing && known?.env.length) apiKeyEnv = [known.env[0]!];
        const saved = await ctx.providers.save({
          id, type: type.data, baseUrl: f.baseUrl, apiKeyEnv, serves,
          catalogProvider: f.catalogProvider ?? (known ? (f.catalogProvider ?? id) : undefined),
        });
        const keyInfo = saved.keys.map((k) => (k.kind === 'env' ? `$${k.name}${ctx.keys.isSet(k) ? '' : ' (not set)'}` : 'keychain')).join(', ') || 'no key';
        process.stdout.write(`saved provider ${saved.id} (${saved.type}, ${saved.baseUrl}, key: ${keyInfo}${saved.serves.length ? `, serves ${saved.serves.length} model(s)` : ''})\n`);
        return EXIT_OK;
      });
    });

  providers
    .command('list')
    .description('list configured providers')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const views = ctx.providers.list().map((p) => ctx.providers.view(p));
        if (f.json) process.stdout.write(JSON.stringify(views, null, 2) + '\n');
        else if (!views.length) process.stdout.write('no providers yet: switchyard providers add <id> --type openai|anthropic|gemini\n');
        else
          process.stdout.write(
            table(
              ['id', 'type', 'base url', 'keys', 'serves'],
              views.map((v) => [v.id, v.type, v.baseUrl, v.keys.map((k) => `${k.label}${k.set ? '' : ' (not set)'}`).join(', ') || '-', v.serves.map((s) => `${s.modelId}=${s.upstreamModel}`).join(', ') || '-']),
            ) + '\n',
          );
        return EXIT_OK;
      }, 'read');
    });

  providers
    .command('remove')
    .description('remove a provider (history is kept)')
    .argument('<id>')
    .action(async (id: string) => {
      await withCtx(async (ctx) => {
        ctx.providers.remove(id);
        process.stdout.write(`removed provider ${id}\n`);
        return EXIT_OK;
      });
    });

  providers
    .command('test')
    .description('check URL, key and protocol by listing the provider\'s models')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(async (id: string, f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const r = await ctx.providers.test(id);
        if (f.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else if (r.ok) process.stdout.write(`ok: ${id} answered in ${r.latencyMs} ms with ${r.models.length} model(s)${r.models.length ? `: ${r.models.slice(0, 8).join(', ')}${r.models.length > 8 ? ', …' : ''}` : ''}\n`);
        else process.stderr.write(`switchyard: ${id}: ${r.error}\n`);
        return r.ok ? EXIT_OK : EXIT_NOT_OK;
      });
    });
}
