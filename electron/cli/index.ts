#!/usr/bin/env node
/**
 * The `switchyard` command. Every failure is one line on stderr:
 * exit 1 for usage/input errors, 2 when a run finished with a column not ok.
 */
import { Command, CommanderError } from 'commander';
import { openAppContext, type AppContext } from '../app/context';
import { boundedLine, quote } from '../../shared/quote';
import { describeError, EXIT_USAGE, type Access } from './errors';
import { registerCompare } from './commands/compare';
import { registerProviders } from './commands/providers';
import { registerHistory } from './commands/history';
import { registerEndpoints } from './commands/endpoints';
import { registerServe } from './commands/serve';
import { registerCatalog } from './commands/catalog';
import { registerSpend } from './commands/spend';
import { registerPrompts } from './commands/prompts';

const VERSION = '0.1.0';

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

export function buildProgram(outcome: Outcome = { code: 0, thrown: false }): Command {
  const withCtx = contextRunner(outcome);
  const program = new Command('switchyard')
    .description('One prompt to many LLMs over your own keys: compare, route, fail over, and keep the receipts.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`switchyard: ${oneLineMessage(str)} ${USAGE_HINT}\n`) });
  registerProviders(program, withCtx);
  registerCompare(program, withCtx);
  registerHistory(program, withCtx);
  registerEndpoints(program, withCtx);
  registerCatalog(program, withCtx);
  registerSpend(program, withCtx);
  registerPrompts(program, withCtx);
  registerServe(program);
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
    await buildProgram(outcome).parseAsync(argv);
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
