/**
 * Prompt templates: the `{{ name }}` subset of Nunjucks that promptfoo configs
 * (and so the evaluation suites) use, with no logic. One module for the prompt
 * library, `compare --template` and the suites, so a template means the same
 * everywhere.
 *
 * The rules, exactly:
 * - A tag is `{{`, optional whitespace (spaces, tabs, line breaks), a name,
 *   optional whitespace, `}}`. Names match `[A-Za-z_][A-Za-z0-9_.-]*` and are
 *   case-sensitive; `a.b` and `a-b` are flat names here (promptfoo reads `a.b`
 *   as a field of `a`: give such a suite a variable of that exact name).
 * - Anything else is text, as written: a lone `{{` or `}}`, `{{ }}`,
 *   `{{ a b }}`, `{{ x | upper }}`, `{% if %}`, a name with non-ASCII letters.
 *   Braces around a tag are text too: `{{{x}}}` is `{` + x + `}`, and
 *   `{{{{x}}}}` is `{{` + x + `}}`.
 * - Escape: to write a tag literally, write its braces as a quoted string tag,
 *   Nunjucks's own escape, so the template means the same in promptfoo:
 *   `{{ "{{" }} name }}` gives `{{ name }}`. A string tag is `"…"` or `'…'` with
 *   no quote of its kind, backslash or line break inside; it stands for its
 *   content.
 * - Values are inserted verbatim, once: a value containing `{{x}}` (or `$&`) is
 *   not expanded. Only own keys count (`{{ constructor }}` is an ordinary name).
 */

const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const WS = '[ \\t\\r\\n]*';
/** Group 1: a variable's name; group 2 or 3: a string tag's content. */
const TAG_SOURCE = `\\{\\{${WS}(?:(${NAME})|"([^"\\\\\\r\\n]*)"|'([^'\\\\\\r\\n]*)')${WS}\\}\\}`;
const tags = () => new RegExp(TAG_SOURCE, 'g');

/** A valid variable name, whole. */
export const TEMPLATE_NAME = new RegExp(`^${NAME}$`);

/** The variables a template asks for, each once, in the order they first appear. */
export function templateVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(tags())) if (m[1] !== undefined) seen.add(m[1]);
  return [...seen];
}

export type TemplateVars = Readonly<Record<string, string | undefined>>;

/** The variables of `text` that `vars` gives no value for, in template order. */
export function missingVariables(text: string, vars: TemplateVars): string[] {
  return templateVariables(text).filter((n) => !hasValue(vars, n));
}

const hasValue = (vars: TemplateVars, name: string): boolean => Object.hasOwn(vars, name) && typeof vars[name] === 'string';

/** Thrown by fillTemplate when a variable has no value; `missing` lists every one of them. */
export class MissingVariablesError extends Error {
  override name = 'MissingVariablesError';
  constructor(readonly missing: string[]) {
    super(`missing ${missing.length === 1 ? 'a value for variable' : `values for ${missing.length} variables`}: ${missing.join(', ')}`);
  }
}

/**
 * The template with every tag replaced: variables by their values, string tags by their content.
 * Throws MissingVariablesError naming all the variables without a value.
 * @example fillTemplate('Hi {{ name }}!', { name: 'Ada' }) // 'Hi Ada!'
 * @example fillTemplate('{{ "{{" }} name }}', {}) // '{{ name }}'
 */
export function fillTemplate(text: string, vars: TemplateVars): string {
  const missing = missingVariables(text, vars);
  if (missing.length) throw new MissingVariablesError(missing);
  // A function, not a replacement string: `$&` in a value stays `$&`.
  return text.replace(tags(), (_whole, name: string | undefined, dq: string | undefined, sq: string | undefined) => (name !== undefined ? vars[name]! : (dq ?? sq ?? '')));
}
