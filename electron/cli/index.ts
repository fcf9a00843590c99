#!/usr/bin/env node
/**
 * The `switchyard` command. Every failure is one line on stderr:
 * exit 1 for usage/input errors, 2 when a run finished with a column not ok.
 */
import { Command, CommanderError } from 'commander';
import { openAppContext, type AppContext } from '../app/context';
import { describeError, EXIT_USAGE } from './errors';
import { registerCompare } from './commands/compare';
import { registerProviders } from './commands/providers';
import { registerHistory } from './commands/history';
import { registerEndpoints } from './commands/endpoints';
import { registerServe } from './commands/serve';
import { registerCatalog } from './commands/catalog';
import { registerSpend } from './commands/spend';

const VERSION = '0.1.0';

/** Folds any line breaks (commander's suggestions, quoted file content) so a failure stays one line. */
const oneLineMessage = (s: string) => s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
const USAGE_HINT = '(run with --help for usage)';

function fail(message: string, code: number): never {
  process.stderr.write(`switchyard: ${oneLineMessage(message)}\n`);
  process.exit(code);
}

async function withCtx(fn: (ctx: AppContext) => Promise<number>): Promise<void> {
  let ctx: AppContext | null = null;
  let code: number;
  try {
    ctx = openAppContext();
    // A one-shot command reads and spends after crash recovery has billed what a dead process left.
    await ctx.recovered;
    code = await fn(ctx);
  } catch (err) {
    if (process.env.SWITCHYARD_DEBUG) console.error(err);
    const d = describeError(err);
    await ctx?.close().catch(() => {});
    fail(d.message, d.code);
  }
  await ctx.close();
  process.exitCode = code;
}

export function buildProgram(): Command {
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
  registerServe(program);
  program.commands.forEach(function deep(c: Command) {
    c.exitOverride();
    c.configureOutput({ outputError: (str, write) => write(`switchyard: ${oneLineMessage(str)} ${USAGE_HINT}\n`) });
    c.commands.forEach(deep);
  });
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander already printed its one-line error otherwise.
      process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
    }
    const d = describeError(err);
    fail(d.message, d.code);
  }
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('switchyard.mjs') || process.argv[1]?.endsWith('cli/index.ts');
if (invokedDirectly) void main();
