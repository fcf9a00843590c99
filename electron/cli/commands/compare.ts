/** `switchyard compare <prompt> -m <target>…`: stream N columns, end with a table. */
import type { Command } from 'commander';
import { DEFAULT_IDLE_MS, PARAM_LIMITS, type ColumnResult, type CompareEvent, type CompareRequestInput, type RunResult } from '../../../shared/domain';
import type { AppContext } from '../../app/context';
import { COLUMN_HEADERS, columnRow, runJson, table } from '../output';
import { collect, list, maxPrice, num, strategy } from '../parse';
import { EXIT_NOT_OK, EXIT_OK, CliExit, EXIT_USAGE, type WithCtx } from '../errors';
import { attachFile } from '../../engine/attachments';

export interface CompareFlags {
  model?: string[];
  system?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  json?: boolean;
  route?: string;
  order?: string[];
  only?: string[];
  ignore?: string[];
  zdr?: boolean;
  training?: boolean;
  jurisdiction?: string[];
  maxPrice?: { inputPerM: number; outputPerM: number };
  firstTokenTimeout?: number;
  idleTimeout?: number;
  fallback?: boolean;
  continueElsewhere?: boolean;
  dryRun?: boolean;
  image?: string[];
  file?: string[];
}

export function addRoutingOptions(cmd: Command): Command {
  return cmd
    .option('--route <strategy>', 'order|price|latency|throughput|balanced (default balanced)', strategy)
    .option('--order <providers>', 'explicit provider order, e.g. openai,openrouter', list)
    .option('--only <providers>', 'use only these providers', list)
    .option('--ignore <providers>', 'never use these providers', list)
    .option('--zdr', 'require zero data retention')
    .option('--no-training', 'deny providers that train on data')
    .option('--jurisdiction <codes>', 'allowed jurisdictions, e.g. EU,US', list)
    .option('--max-price <in,out>', 'max USD per million input,output tokens', maxPrice)
    .option('--first-token-timeout <ms>', 'fail over when no first token arrives in time', num('--first-token-timeout', 1, 3_600_000, true))
    .option('--idle-timeout <ms>', `end or fail over a stream that stalls this long between chunks (default ${DEFAULT_IDLE_MS})`, num('--idle-timeout', 1, 3_600_000, true))
    .option('--no-fallback', 'pin each column to its first-choice endpoint')
    .option('--continue-elsewhere', 'after a mid-stream failure, restart on another endpoint (recorded, never spliced)');
}

export function buildRequest(prompt: string, f: CompareFlags): CompareRequestInput {
  if (!f.model?.length) throw new CliExit('compare needs at least one -m <target> (provider:model, lab/model, lab/model@provider, or a chain a,b)', EXIT_USAGE);
  if (!prompt.trim()) throw new CliExit('the prompt is empty', EXIT_USAGE);
  return {
    system: f.system,
    messages: [{ role: 'user', content: prompt }],
    params: { temperature: f.temperature, maxTokens: f.maxTokens, topP: f.topP, seed: f.seed, stop: f.stop },
    targets: f.model,
    routing: {
      strategy: (f.route ?? (f.order?.length ? 'order' : 'balanced')) as 'balanced',
      order: f.order ?? [],
      only: f.only ?? [],
      ignore: f.ignore ?? [],
      zdr: Boolean(f.zdr),
      noTraining: f.training === false,
      jurisdictions: (f.jurisdiction ?? []).map((j) => j.toUpperCase()),
      maxPrice: f.maxPrice ?? null,
      noFallback: f.fallback === false,
      continueElsewhere: Boolean(f.continueElsewhere),
    },
    timeouts: { ...(f.firstTokenTimeout ? { firstTokenMs: f.firstTokenTimeout } : {}), ...(f.idleTimeout ? { idleMs: f.idleTimeout } : {}) },
  };
}

/** Interleaves columns line by line, each line tagged with its column, so streams stay readable. */
function streamPrinter(out: NodeJS.WritableStream, labels: Map<string, string>) {
  const partial = new Map<string, string>();
  const write = (id: string, s: string) => out.write(`${labels.get(id) ?? ''} ${s}\n`);
  return {
    onEvent(e: CompareEvent) {
      if (e.type === 'delta' && e.text) {
        const buf = (partial.get(e.columnId) ?? '') + e.text;
        const lines = buf.split('\n');
        partial.set(e.columnId, lines.pop()!);
        for (const l of lines) write(e.columnId, l);
      } else if (e.type === 'attempt-finished' && e.attempt.status !== 'ok') {
        write(e.columnId, `! ${e.attempt.provider}:${e.attempt.model} ${e.attempt.status}: ${e.attempt.error ?? ''}`);
      } else if (e.type === 'column-finished') {
        const rest = partial.get(e.column.columnId);
        if (rest) write(e.column.columnId, rest);
        partial.delete(e.column.columnId);
        write(e.column.columnId, `= ${e.column.status}${e.column.error ? `: ${e.column.error}` : ''}`);
      }
    },
  };
}

/**
 * `--image FILE` and `--file FILE` (repeatable): each file is checked (size before
 * reading, type from its bytes) and stored once by hash; the prompt's message refers to it.
 * Images come first, then the other files, each in the order given.
 */
export function withAttachments(ctx: Pick<AppContext, 'store'>, request: CompareRequestInput, f: CompareFlags): CompareRequestInput {
  const files = [...(f.image ?? []).map((p) => attachFile(ctx.store, p, 'image')), ...(f.file ?? []).map((p) => attachFile(ctx.store, p, 'any'))];
  if (!files.length) return request;
  const [first, ...rest] = request.messages;
  return { ...request, messages: [{ ...first!, attachments: files }, ...rest] };
}

export async function runCompare(ctx: AppContext, prompt: string, f: CompareFlags, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const request = withAttachments(ctx, buildRequest(prompt, f), f);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.err.write('cancelling… (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let unsubscribe = () => {};
  try {
    const started = ctx.engine.start(request, { signal: controller.signal });
    if (!f.json) {
      const labels = new Map(started.columns.map((c) => [c.columnId, `[${c.index + 1}]`]));
      io.err.write(started.columns.map((c) => `[${c.index + 1}] ${c.target}`).join('\n') + '\n');
      const printer = streamPrinter(io.out, labels);
      unsubscribe = ctx.engine.onEvent((e) => e.runId === started.runId && printer.onEvent(e));
    }
    const result: RunResult = await started.done;
    if (f.json) io.out.write(JSON.stringify(runJson(result), null, 2) + '\n');
    else io.out.write(`\n${table(COLUMN_HEADERS, result.columns.map(columnRow))}\nrun ${result.runId}\n`);
    return result.columns.every((c: ColumnResult) => c.status === 'ok') ? EXIT_OK : EXIT_NOT_OK;
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}

export function registerCompare(program: Command, withCtx: WithCtx) {
  const cmd = program
    .command('compare')
    .description('send one prompt to several targets at once and compare the answers')
    .argument('<prompt>', 'the user prompt')
    .option('-m, --model <target>', 'a target (repeatable): provider:model, lab/model, lab/model@provider, or a chain a,b,c', collect)
    .option('--system <text>', 'system prompt')
    .option('--temperature <t>', 'sampling temperature 0-2', num('--temperature', PARAM_LIMITS.temperature.min, PARAM_LIMITS.temperature.max))
    .option('--max-tokens <n>', 'maximum output tokens', num('--max-tokens', PARAM_LIMITS.maxTokens.min, PARAM_LIMITS.maxTokens.max, true))
    .option('--top-p <p>', 'nucleus sampling 0-1', num('--top-p', PARAM_LIMITS.topP.min, PARAM_LIMITS.topP.max))
    .option('--seed <n>', 'sampling seed', num('--seed', PARAM_LIMITS.seed.min, PARAM_LIMITS.seed.max, true))
    .option('--stop <s>', 'stop sequence (repeatable)', collect)
    .option('--image <file>', 'attach a PNG, JPEG, WebP or GIF image, up to 20 MB (repeatable)', collect)
    .option('--file <file>', 'attach a PDF (up to 32 MB), a UTF-8 text file (up to 2 MB) or an image (repeatable)', collect)
    .option('--json', 'print one JSON object: { runId, columns: [...] }')
    .option('--dry-run', 'estimate cost and show each endpoint\'s data policy; send nothing');
  addRoutingOptions(cmd);
  cmd.action(async (prompt: string, flags: CompareFlags) => {
    await withCtx(async (ctx) => {
      if (flags.dryRun) {
        const { runDryRun } = await import('./estimate');
        return runDryRun(ctx, withAttachments(ctx, buildRequest(prompt, flags), flags), Boolean(flags.json), process.stdout);
      }
      return runCompare(ctx, prompt, flags, { out: process.stdout, err: process.stderr });
      // A dry run with files stores them (by hash) so that it can estimate them: that writes.
    }, flags.dryRun && !flags.image?.length && !flags.file?.length ? 'read' : 'write');
  });
}
