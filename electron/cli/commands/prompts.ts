/** `switchyard prompts list|add|show|rm`: the prompt library, the same one the window's Library shows. */
import type { Command } from 'commander';
import { PromptBody, PromptName, type PromptKind } from '../../../shared/contract';
import { quote } from '../../../shared/quote';
import { findPrompt, kindWord, savePrompt } from '../../app/prompt-library';
import { zodLine } from '../../engine/errors';
import { InputLimitError, readBoundedFile } from '../../engine/limits';
import { describeSystemError, showPath } from '../../engine/system-errors';
import { CliExit, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { fmtDate, table } from '../output';

/** A UTF-8 text of at most 1,000,000 characters takes at most 4 bytes each. */
const MAX_PROMPT_FILE_BYTES = 4 * 1024 * 1024;

const kindOf = (f: { system?: boolean }): PromptKind => (f.system ? 'system' : 'prompt');
const otherKindFlag = (kind: PromptKind) => (kind === 'system' ? 'leave out --system' : 'add --system');

export function checkName(name: string): string {
  const r = PromptName.safeParse(name);
  if (!r.success) throw new CliExit(`invalid prompt name ${quote(name)}: ${zodLine(r.error)}`, EXIT_USAGE);
  return r.data;
}

/** `--file`: a bounded, UTF-8 text file, said in one line when it is not. */
async function readPromptFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(path, MAX_PROMPT_FILE_BYTES, 'prompt file');
  } catch (err) {
    if (err instanceof InputLimitError) throw new CliExit(err.message, EXIT_USAGE);
    throw new CliExit(describeSystemError(err, { action: 'read', path }) ?? `cannot read ${showPath(path)}`, EXIT_USAGE);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliExit(`prompt file ${showPath(path)} is not UTF-8 text`, EXIT_USAGE);
  }
  if (text.includes('\u0000')) throw new CliExit(`prompt file ${showPath(path)} is not text (it holds NUL bytes)`, EXIT_USAGE);
  return text;
}

function checkBody(body: string, from: string): string {
  const r = PromptBody.safeParse(body);
  if (!r.success) throw new CliExit(`${from}: ${zodLine(r.error)}`, EXIT_USAGE);
  return r.data;
}

export function registerPrompts(program: Command, withCtx: WithCtx) {
  const prompts = program.command('prompts').description('the prompt library: saved prompts and system prompts with {{variables}} (compare --template NAME --var k=v)');

  prompts
    .command('list')
    .description('list saved prompts and system prompts, most recently used first')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const all = ctx.store.prompts.list();
        if (f.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
        else if (!all.length) process.stdout.write('no saved prompts yet: switchyard prompts add <name> --text "…{{ variable }}…" [--system]\n');
        else
          process.stdout.write(
            table(
              ['name', 'kind', 'variables', 'last used'],
              all.map((p) => [p.name, p.kind, p.variables.join(', ') || '-', p.lastUsedAt === null ? '-' : fmtDate(p.lastUsedAt)]),
            ) + '\n',
          );
        return EXIT_OK;
      }, 'read');
    });

  prompts
    .command('add')
    .description('save a prompt (or with --system a system prompt); {{ name }} marks a variable')
    .argument('<name>', 'its name, unique among prompts (or among system prompts)')
    .option('--text <text>', 'the prompt text')
    .option('--file <file>', 'read the prompt text from a UTF-8 file')
    .option('--system', 'save it as a system prompt')
    .option('--replace', 'overwrite the saved one of the same name')
    .action(async (name: string, f: { text?: string; file?: string; system?: boolean; replace?: boolean }) => {
      const checked = checkName(name);
      if ((f.text === undefined) === (f.file === undefined)) throw new CliExit('prompts add needs the text: --text <text> or --file <file> (one of them)', EXIT_USAGE);
      const body = f.file !== undefined ? checkBody(await readPromptFile(f.file), `prompt file ${showPath(f.file)}`) : checkBody(f.text!, '--text');
      await withCtx(async (ctx) => {
        const kind = kindOf(f);
        const existed = ctx.store.prompts.byName(kind, checked) !== null;
        const saved = savePrompt(ctx.store, { name: checked, kind, body, replace: Boolean(f.replace) }, 'pass --replace to overwrite it');
        const vars = saved.variables.length ? `, variables: ${saved.variables.join(', ')}` : ', no variables';
        process.stdout.write(`${existed ? 'replaced' : 'saved'} ${kindWord(kind)} ${saved.name} (${Array.from(body).length} chars${vars})\n`);
        return EXIT_OK;
      });
    });

  prompts
    .command('show')
    .description('print a saved prompt as written (variables unfilled)')
    .argument('<name>')
    .option('--system', 'the system prompt of that name')
    .option('--json', 'print JSON')
    .action(async (name: string, f: { system?: boolean; json?: boolean }) => {
      await withCtx(async (ctx) => {
        const kind = kindOf(f);
        const p = findPrompt(ctx.store, kind, name, otherKindFlag(kind));
        if (f.json) process.stdout.write(JSON.stringify(p, null, 2) + '\n');
        else process.stdout.write(p.body.endsWith('\n') ? p.body : `${p.body}\n`);
        return EXIT_OK;
      }, 'read');
    });

  prompts
    .command('rm')
    .description('delete a saved prompt')
    .argument('<name>')
    .option('--system', 'the system prompt of that name')
    .action(async (name: string, f: { system?: boolean }) => {
      await withCtx(async (ctx) => {
        const kind = kindOf(f);
        const p = findPrompt(ctx.store, kind, name, otherKindFlag(kind));
        ctx.store.prompts.remove(p.id);
        process.stdout.write(`deleted ${kindWord(kind)} ${p.name}\n`);
        return EXIT_OK;
      });
    });
}
