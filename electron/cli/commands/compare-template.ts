/**
 * `compare --template NAME --var key=value … [--system-template NAME]`: the
 * prompt (and system prompt) from the library, filled in before the run is
 * built, so the run records the filled text exactly as the window would send it.
 */
import { InvalidArgumentError } from 'commander';
import type { SavedPrompt } from '../../../shared/contract';
import { quote } from '../../../shared/quote';
import { fillTemplate, missingVariables, TEMPLATE_NAME } from '../../../shared/template';
import type { AppContext } from '../../app/context';
import { findPrompt, kindWord } from '../../app/prompt-library';
import { CliExit, EXIT_USAGE } from '../errors';

export interface TemplateFlags {
  template?: string;
  systemTemplate?: string;
  /** `--var key=value`, in the order given. */
  var?: Array<[string, string]>;
  system?: string;
}

/** `--var key=value` (repeatable): the value is everything after the first `=`, and may be empty. */
export function templateVar(v: string, prev: Array<[string, string]> = []): Array<[string, string]> {
  const eq = v.indexOf('=');
  if (eq < 0) throw new InvalidArgumentError('expected key=value, e.g. --var topic=tides');
  const key = v.slice(0, eq);
  if (!TEMPLATE_NAME.test(key)) throw new InvalidArgumentError(`${quote(key)} is not a variable name (a letter or _, then letters, digits, _ . -)`);
  if (prev.some(([k]) => k === key)) throw new InvalidArgumentError(`--var ${key} is given twice`);
  return [...prev, [key, v.slice(eq + 1)]];
}

/** The ways the template flags can be combined wrongly, before anything is opened. */
export function checkTemplateFlags(prompt: string | undefined, f: TemplateFlags): void {
  if (f.template !== undefined && prompt !== undefined) throw new CliExit('give either a prompt or --template NAME, not both', EXIT_USAGE);
  if (f.systemTemplate !== undefined && f.system !== undefined) throw new CliExit('give either --system or --system-template NAME, not both', EXIT_USAGE);
  if (f.var?.length && f.template === undefined && f.systemTemplate === undefined) throw new CliExit('--var fills a template: give --template NAME or --system-template NAME with it', EXIT_USAGE);
}

const variablesOf = (ts: SavedPrompt[]) => ts.map((t) => `${kindWord(t.kind)} ${quote(t.name)} has ${t.variables.length ? t.variables.join(', ') : 'none'}`).join('; ');

/**
 * The prompt and system prompt to send: each template found and filled, or one line naming
 * every variable left without a `--var` (or a `--var` no template has). `markUsed` records the
 * templates' use: called once the run has started, so a run refused before sending leaves no trace.
 */
export function applyTemplates(ctx: Pick<AppContext, 'store'>, prompt: string | undefined, f: TemplateFlags): { prompt: string | undefined; system: string | undefined; markUsed(): void } {
  if (f.template === undefined && f.systemTemplate === undefined) return { prompt, system: f.system, markUsed: () => {} };
  const user = f.template !== undefined ? findPrompt(ctx.store, 'prompt', f.template, 'use --system-template for it') : null;
  const system = f.systemTemplate !== undefined ? findPrompt(ctx.store, 'system', f.systemTemplate, 'use --template for it') : null;
  const used = [user, system].filter((t): t is SavedPrompt => t !== null);
  const vars = Object.fromEntries(f.var ?? []) as Record<string, string>;
  const missing = [...new Set(used.flatMap((t) => missingVariables(t.body, vars)))];
  if (missing.length) throw new CliExit(`missing --var for ${missing.join(', ')} (${variablesOf(used)}; give each as --var name=value)`, EXIT_USAGE);
  const known = new Set(used.flatMap((t) => t.variables));
  const unknown = (f.var ?? []).map(([k]) => k).filter((k) => !known.has(k));
  if (unknown.length) throw new CliExit(`--var ${unknown.join(', ')}: no such variable (${variablesOf(used)})`, EXIT_USAGE);
  return {
    prompt: user ? fillTemplate(user.body, vars) : prompt,
    system: system ? fillTemplate(system.body, vars) : f.system,
    markUsed: () => used.forEach((t) => ctx.store.prompts.markUsed(t.id, Date.now())),
  };
}
