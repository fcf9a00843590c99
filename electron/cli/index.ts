#!/usr/bin/env node
/**
 * The `switchyard` command. Every failure is one line on stderr:
 * exit 1 for usage/input errors, 2 when a run finished with a column not ok.
 */
import { Command, CommanderError } from 'commander';
import type { AppContext } from '../app/context';
import { boundedLine, quote } from '../../shared/quote';
import { describeError, EXIT_USAGE, type Access, type WithCtx } from './errors';

const VERSION = '0.1.0';

type Register = (program: Command, withCtx: WithCtx) => void;

/**
 * Every top-level command, in help order, with the module that registers it. A module is imported
 * only when its command is the one run (help and an unknown word import them all), so a command
 * starts with what it needs: `--version` loads no SQLite, `history list` no engine, catalog or UI
 * server (the bundle keeps each behind its own chunk). A new command goes here, not in a static import.
 */
const COMMANDS: Array<{ names: string[]; load: () => Promise<Register> }> = [
  { names: ['providers'], load: async () => (await import('./commands/providers')).registerProviders },
  { names: ['compare'], load: async () => (await import('./commands/compare')).registerCompare },
  { names: ['history'], load: async () => (await import('./commands/history')).registerHistory },
  { names: ['endpoints'], load: async () => (await import('./commands/endpoints')).registerEndpoints },
  { names: ['catalog'], load: async () => (await import('./commands/catalog')).registerCatalog },
  { names: ['budgets', 'spend'], load: async () => (await import('./commands/spend')).registerSpend },
  { names: ['audit'], load: async () => (await import('./commands/audit')).registerAudit },
  { names: ['prompts'], load: async () => (await import('./commands/prompts')).registerPrompts },
  { names: ['serve'], load: async () => (await import('./commands/serve')).registerServe },
];

/** The commands `argv` can run: the one it names, none for a bare `--version`, else all (help, suggestions). */
function commandsFor(argv: readonly string[]): typeof COMMANDS {
  const args = argv.slice(2);
  const word = args.find((a) => !a.startsWith('-'));
  if (word === undefined && args.length > 0 && args.every((a) => a === '--version' || a === '-V')) return [];
  const named = COMMANDS.filter((c) => word !== undefined && c.names.includes(word));
  return named.length > 0 ? named : COMMANDS;
}

/**
 * `head` closing the pipe is not a failure of ours: exit at once, silently, with the status a
 * process killed by SIGPIPE reports (128 + 13), as git and cat do. Node ignores SIGPIPE, so
 * without this the write error surfaces as an uncaught EPIPE with a stack trace.
 */
export const EXIT_BROKEN_PIPE = 141;

/**
 * Folds any line breaks (commander's suggestions, quoted file content) and bounds the length, so a
 * failure stays one short line; commander quotes a bad value whole ('…'), so a long one is cut here.
 */
const oneLineMessage = (s: string) => boundedLine(s.replace(/^error: /, '').replace(/'([^']{61,})'/g, (_, v: string) => quote(v)));
const USAGE_HINT = '(run with --help for usage)';

function printError(message: string): void {
  process.stderr.write(`switchyard: ${oneLineMessage(message)}\n`);
}

/** What one invocation ended with: `thrown` failures exit at once, the rest let pending output drain. */
interface Outcome {
  code: number;
  thrown: boolean;
}

function contextRunner(outcome: Outcome) {
  return async function withCtx(fn: (ctx: AppContext) => Promise<number>, access: Access = 'write'): Promise<void> {
    let ctx: AppContext | null = null;
    try {
      const { openAppContext } = await import('../app/context');
      ctx = openAppContext({ access });
      // A one-shot command reads and spends after crash recovery has billed what a dead process left.
      await ctx.recovered;
      outcome.code = await fn(ctx);
    } catch (err) {
      await ctx?.close().catch(() => {});
      throw new ContextFailure(err, ctx?.dataDir);
    }
    await ctx.close();
  };
}

/** Carries the data directory to the top-level handler, so a write refused there names it. */
class ContextFailure extends Error {
  constructor(readonly failure: unknown, readonly dataDir: string | undefined) {
    super('context failure');
  }
}

/** The program with the commands `argv` can run registered (all of them when no argv is given). */
export async function buildProgram(outcome: Outcome = { code: 0, thrown: false }, argv?: readonly string[]): Promise<Command> {
  const withCtx = contextRunner(outcome);
  const registers = await Promise.all((argv ? commandsFor(argv) : COMMANDS).map((c) => c.load()));
  const program = new Command('switchyard')
    .description('One prompt to many LLMs over your own keys: compare, route, fail over, and keep the receipts.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`switchyard: ${oneLineMessage(str)} ${USAGE_HINT}\n`) });
  for (const register of registers) register(program, withCtx);
  program.commands.forEach(function deep(c: Command) {
    c.exitOverride();
    c.configureOutput({ outputError: (str, write) => write(`switchyard: ${oneLineMessage(str)} ${USAGE_HINT}\n`) });
    c.commands.forEach(deep);
  });
  return program;
}

async function execute(argv: string[]): Promise<Outcome> {
  const outcome: Outcome = { code: 0, thrown: false };
  try {
    await (await buildProgram(outcome, argv)).parseAsync(argv);
    return outcome;
  } catch (err) {
    // Help and version exit 0; commander already printed its one-line error otherwise.
    if (err instanceof CommanderError) return { code: err.exitCode === 0 ? 0 : EXIT_USAGE, thrown: true };
    const failure = err instanceof ContextFailure ? err : null;
    if (process.env.SWITCHYARD_DEBUG) console.error(failure?.failure ?? err);
    const d = describeError(failure ? failure.failure : err, { dataDir: failure?.dataDir });
    printError(d.message);
    return { code: d.code, thrown: true };
  }
}

/**
 * Runs one invocation in this process and returns its exit status, printing as the
 * command does; never calls process.exit (the bad-input suite runs hundreds this way).
 */
export async function runCli(argv: string[]): Promise<number> {
  return (await execute(argv)).code;
}

function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_BROKEN_PIPE);
    // Any other failure to write our own output: nothing can be printed, only the status says it.
    process.exit(EXIT_USAGE);
  });
}

export async function main(argv = process.argv): Promise<void> {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
  const { code, thrown } = await execute(argv);
  if (thrown) process.exit(code);
  process.exitCode = code;
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('switchyard.mjs') || process.argv[1]?.endsWith('cli/index.ts');
if (invokedDirectly) void main();
