/** `switchyard compare <prompt> -m <target>…`: stream N columns, end with a table. */
import type { Command } from 'commander';
import { DEFAULT_IDLE_MS, PARAM_LIMITS, type ColumnResult, type CompareEvent, type CompareRequestInput, type RunResult } from '../../../shared/domain';
import type { AppContext } from '../../app/context';
import { COLUMN_HEADERS, columnRow, runJson, table, totalsLine } from '../output';
import { collect, effort, list, maxPrice, num, strategy } from '../parse';
import { EXIT_NOT_OK, EXIT_OK, CliExit, EXIT_USAGE, type WithCtx } from '../errors';
import { attachFile } from '../../engine/attachments';
import { columnParam, columnRoute, perColumn, type ColumnSetting } from './column-flags';
import type { ColumnRouting, GenerationParams } from '../../../shared/domain';
import { loadToolFlags, parseToolResults, toolLines, type ToolFields, type ToolFlags } from '../tool-flags';
import { applyTemplates, checkTemplateFlags, templateVar, type TemplateFlags } from './compare-template';

export interface CompareFlags extends TemplateFlags, ToolFlags {
  model?: string[];
  system?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  thinkingBudget?: number;
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
  followUp?: string;
  fork?: string;
  /** 1-based, as printed in `[N]`. */
  column?: number;
  image?: string[];
  file?: string[];
  /** `--param N:key=value`, repeatable. */
  param?: Array<ColumnSetting<GenerationParams>>;
  /** `--column-route N:key=value`, repeatable. */
  columnRoute?: Array<ColumnSetting<ColumnRouting>>;
  /** What `--tools`, `--tool-choice` and `--response-format` named, read and checked (see tool-flags.ts). */
  loadedTools?: ToolFields;
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
    .option('--continue-elsewhere', 'after a mid-stream failure, restart on another endpoint (recorded, never spliced)')
    .option('--column-route <N:key=value>', "column N's own routing over the run's (repeatable); keys: strategy, order, only, ignore, zdr, no-training, jurisdiction, max-price, first-token-timeout, no-fallback", columnRoute);
}

/** `--param N:key=value` (repeatable): column N's own generation parameters over the shared ones. */
export function addColumnParamOption(cmd: Command): Command {
  return cmd.option('--param <N:key=value>', "column N's own parameter over the shared one (repeatable); keys: temperature, max-tokens, top-p, seed, reasoning-effort, thinking-budget", columnParam);
}

/** The per-column flags as the request's `targetParams` and `columnRouting` (absent when none was given). */
function columnOverrides(f: CompareFlags, targets: number): Pick<CompareRequestInput, 'targetParams' | 'columnRouting'> {
  const targetParams = perColumn('--param', f.param, targets);
  const columnRouting = perColumn('--column-route', f.columnRoute, targets);
  return { ...(targetParams ? { targetParams } : {}), ...(columnRouting ? { columnRouting } : {}) };
}

export function buildRequest(prompt: string, f: CompareFlags): CompareRequestInput {
  if (!f.model?.length) throw new CliExit('compare needs at least one -m <target> (provider:model, lab/model, lab/model@provider, or a chain a,b)', EXIT_USAGE);
  if (!prompt.trim()) throw new CliExit('the prompt is empty', EXIT_USAGE);
  return {
    system: f.system,
    messages: [{ role: 'user', content: prompt }],
    params: { temperature: f.temperature, maxTokens: f.maxTokens, topP: f.topP, seed: f.seed, stop: f.stop, reasoningEffort: f.reasoningEffort, thinkingBudget: f.thinkingBudget },
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
    ...columnOverrides(f, f.model.length),
    ...f.loadedTools,
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
        for (const l of toolLines(e.column)) write(e.column.columnId, l);
        write(e.column.columnId, `= ${e.column.status}${e.column.error ? `: ${e.column.error}` : ''}`);
      }
    },
  };
}

/** Flags that shape a new request; a follow-up keeps its run's, so they are refused there rather than ignored. */
const NEW_RUN_FLAGS: Array<[keyof CompareFlags, string]> = [
  ['model', '-m'], ['system', '--system'], ['temperature', '--temperature'], ['maxTokens', '--max-tokens'], ['topP', '--top-p'], ['seed', '--seed'],
  ['stop', '--stop'], ['reasoningEffort', '--reasoning-effort'], ['thinkingBudget', '--thinking-budget'], ['route', '--route'], ['order', '--order'], ['only', '--only'], ['ignore', '--ignore'], ['zdr', '--zdr'], ['jurisdiction', '--jurisdiction'],
  ['maxPrice', '--max-price'], ['continueElsewhere', '--continue-elsewhere'], ['dryRun', '--dry-run'], ['param', '--param'], ['columnRoute', '--column-route'],
  ['tools', '--tools'], ['toolChoice', '--tool-choice'], ['responseFormat', '--response-format'],
  ['systemTemplate', '--system-template'],
];

/** One line for each way `--follow-up`, `--fork` and `--column` can be combined wrongly. */
export function checkConversationFlags(prompt: string | undefined, f: CompareFlags): void {
  checkTemplateFlags(prompt, f);
  // --template gives the prompt; whether it fills in is known once the library is open.
  const hasPrompt = f.template !== undefined || Boolean(prompt?.trim());
  if (f.followUp !== undefined && f.fork !== undefined) throw new CliExit('--follow-up and --fork do not go together: a follow-up continues the run, a fork starts a new one', EXIT_USAGE);
  if (f.followUp !== undefined) {
    if (!hasPrompt) throw new CliExit('--follow-up needs the prompt to send: compare --follow-up <runId> <prompt> [--column N]', EXIT_USAGE);
    const given = NEW_RUN_FLAGS.find(([k]) => f[k] !== undefined);
    if (given) throw new CliExit(`${given[1]} cannot be used with --follow-up: a follow-up keeps its run's models and settings (use --fork <runId> --column N -m … for other models)`, EXIT_USAGE);
    if (f.training === false || f.fallback === false) throw new CliExit(`${f.training === false ? '--no-training' : '--no-fallback'} cannot be used with --follow-up: a follow-up keeps its run's settings`, EXIT_USAGE);
    return;
  }
  if (f.fork !== undefined) {
    if (f.column === undefined) throw new CliExit('--fork needs --column N: the column whose conversation the new run continues', EXIT_USAGE);
    if (!f.model?.length) throw new CliExit('--fork needs at least one -m <target>: the models the conversation goes to', EXIT_USAGE);
    return;
  }
  if (f.column !== undefined) throw new CliExit('--column goes with --follow-up <runId> or --fork <runId>', EXIT_USAGE);
  if (f.toolResult?.length) throw new CliExit('--tool-result goes with --follow-up <runId> or --fork <runId>: it answers a tool call of that run', EXIT_USAGE);
  if (prompt === undefined && f.template === undefined) throw new CliExit('compare needs a prompt: compare <prompt> -m <target> (or --template NAME)', EXIT_USAGE);
}

/**
 * A fork's request: the run's column conversation and settings, the new
 * targets, and any generation flag given now over the run's own.
 */
function forkFromFlags(ctx: AppContext, prompt: string | undefined, f: CompareFlags): CompareRequestInput {
  const base = ctx.engine.forkRequest(f.fork!, f.column! - 1, f.model!, prompt, parseToolResults(f.toolResult));
  const flags = buildRequest('-', f);
  const given = Object.fromEntries(Object.entries(flags.params ?? {}).filter(([, v]) => v !== undefined));
  return { ...base, ...(f.system !== undefined ? { system: f.system } : {}), params: { ...base.params, ...given }, ...columnOverrides(f, f.model!.length), ...f.loadedTools };
}

/** The `--image` and `--file` files, checked and stored: images first, then the others, each in the order given. */
function attachedFiles(ctx: Pick<AppContext, 'store'>, f: CompareFlags) {
  return [...(f.image ?? []).map((p) => attachFile(ctx.store, p, 'image')), ...(f.file ?? []).map((p) => attachFile(ctx.store, p, 'any'))];
}

/**
 * `--image FILE` and `--file FILE` (repeatable): each file is checked (size before
 * reading, type from its bytes) and stored once by hash; the prompt's message refers to it.
 * Images come first, then the other files, each in the order given.
 */
export function withAttachments(ctx: Pick<AppContext, 'store'>, request: CompareRequestInput, f: CompareFlags): CompareRequestInput {
  const files = attachedFiles(ctx, f);
  if (!files.length) return request;
  // On the prompt: the last message (a fork's history comes before it).
  const last = request.messages.at(-1)!;
  return { ...request, messages: [...request.messages.slice(0, -1), { ...last, attachments: files }] };
}

export async function runCompare(ctx: AppContext, prompt: string, f: CompareFlags, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; onStarted?: () => void }): Promise<number> {
  const request = f.followUp ? null : withAttachments(ctx, f.fork ? forkFromFlags(ctx, prompt || undefined, f) : buildRequest(prompt, f), f);
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
    const started = f.followUp
      ? ctx.engine.followUp(f.followUp, prompt, { column: f.column === undefined ? undefined : f.column - 1, signal: controller.signal, toolResults: parseToolResults(f.toolResult), attachments: attachedFiles(ctx, f) })
      : ctx.engine.start(request!, { signal: controller.signal, source: 'cli' });
    io.onStarted?.();
    const leftOut = 'leftOut' in started ? started.leftOut : [];
    for (const l of leftOut) io.err.write(`left out: ${l.target}: ${l.reason}\n`);
    for (const w of started.warnings) io.err.write(`warning: ${w}\n`);
    if (!f.json) {
      const labels = new Map(started.columns.map((c) => [c.columnId, `[${c.index + 1}]`]));
      io.err.write(started.columns.map((c) => `[${c.index + 1}] ${c.target}`).join('\n') + '\n');
      const printer = streamPrinter(io.out, labels);
      unsubscribe = ctx.engine.onEvent((e) => e.runId === started.runId && printer.onEvent(e));
    }
    const result: RunResult = await started.done;
    if (f.json) io.out.write(JSON.stringify({ ...runJson(result), ...(leftOut.length ? { leftOut } : {}) }, null, 2) + '\n');
    else io.out.write(`\n${table(COLUMN_HEADERS, result.columns.map(columnRow))}\n${totalsLine(result)}run ${result.runId}\n`);
    // 0 says every target asked for answered: a left-out target counts as a column that did not.
    return leftOut.length === 0 && result.columns.every((c: ColumnResult) => c.status === 'ok') ? EXIT_OK : EXIT_NOT_OK;
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}

export function registerCompare(program: Command, withCtx: WithCtx) {
  const cmd = program
    .command('compare')
    .description('send one prompt to several targets at once and compare the answers')
    .argument('[prompt]', 'the user prompt (a fork\'s is optional: without one, its models answer the column\'s last prompt)')
    .option('-m, --model <target>', 'a target (repeatable): provider:model, lab/model, lab/model@provider, or a chain a,b,c', collect)
    .option('--system <text>', 'system prompt')
    .option('--template <name>', 'the prompt from the library (switchyard prompts list), its {{variables}} filled with --var')
    .option('--system-template <name>', 'the system prompt from the library, filled with --var')
    .option('--var <key=value>', 'a value for a template variable (repeatable)', templateVar)
    .option('--temperature <t>', 'sampling temperature 0-2', num('--temperature', PARAM_LIMITS.temperature.min, PARAM_LIMITS.temperature.max))
    .option('--max-tokens <n>', 'maximum output tokens', num('--max-tokens', PARAM_LIMITS.maxTokens.min, PARAM_LIMITS.maxTokens.max, true))
    .option('--top-p <p>', 'nucleus sampling 0-1', num('--top-p', PARAM_LIMITS.topP.min, PARAM_LIMITS.topP.max))
    .option('--seed <n>', 'sampling seed', num('--seed', PARAM_LIMITS.seed.min, PARAM_LIMITS.seed.max, true))
    .option('--stop <s>', 'stop sequence (repeatable)', collect)
    .option('--reasoning-effort <level>', 'OpenAI reasoning_effort: minimal|low|medium|high (the other protocols ignore it)', effort)
    .option('--thinking-budget <n>', 'thinking tokens: Anthropic thinking.budget_tokens, Gemini thinkingBudget (0: off)', num('--thinking-budget', 0, PARAM_LIMITS.maxTokens.max, true))
    .option('--image <file>', 'attach a PNG, JPEG, WebP or GIF image, up to 20 MB (repeatable)', collect)
    .option('--file <file>', 'attach a PDF (up to 32 MB), a UTF-8 text file (up to 2 MB) or an image (repeatable)', collect)
    .option('--json', 'print one JSON object: { runId, columns: [...] }')
    .option('--dry-run', 'estimate cost and show each endpoint\'s data policy; send nothing')
    .option('--follow-up <runId>', 'send <prompt> (with any --image/--file) as the next turn of a run: every column continues its own conversation')
    .option('--fork <runId>', 'continue one column\'s conversation (--column N) as a new run with the -m models')
    .option('--column <N>', 'with --follow-up: continue only column N; with --fork: the column to fork (as printed: [1], [2], …)', num('--column', 1, 64, true))
    .option('--tools <file>', 'tool definitions the models may call: a JSON array of { name, description, parameters (JSON Schema) }, or OpenAI\'s [{ type: "function", function }]')
    .option('--tool-choice <choice>', 'auto|none|required, or the name of the one tool to call (needs --tools)')
    .option('--response-format <file|json>', 'a structured answer: a JSON Schema file (each answer is validated against it), or json for any JSON object')
    .option('--tool-result <callId=result>', 'with --follow-up or --fork: the result of a tool call (JSON or text); a call given none is sent "no result provided" (repeatable)', collect);
  addColumnParamOption(cmd);
  addRoutingOptions(cmd);
  cmd.action(async (promptArg: string | undefined, givenFlags: CompareFlags) => {
    checkConversationFlags(promptArg, givenFlags);
    await withCtx(async (ctx) => {
      const filled = applyTemplates(ctx, promptArg, givenFlags);
      const prompt = filled.prompt;
      const flags: CompareFlags = { ...givenFlags, system: filled.system };
      flags.loadedTools = await loadToolFlags(flags);
      if (flags.dryRun) {
        const { runDryRun } = await import('./estimate');
        return runDryRun(ctx, withAttachments(ctx, flags.fork ? forkFromFlags(ctx, prompt, flags) : buildRequest(prompt ?? '', flags), flags), Boolean(flags.json), process.stdout);
      }
      return runCompare(ctx, prompt ?? '', flags, { out: process.stdout, err: process.stderr, onStarted: filled.markUsed });
      // A dry run with files stores them (by hash) so that it can estimate them: that writes.
    }, givenFlags.dryRun && !givenFlags.image?.length && !givenFlags.file?.length ? 'read' : 'write');
  });
}
