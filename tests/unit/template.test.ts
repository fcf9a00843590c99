import { describe, expect, it } from 'vitest';
import { fillTemplate, missingVariables, MissingVariablesError, templateVariables, TEMPLATE_NAME } from '../../shared/template';

/** The error fillTemplate throws, for asserting on its fields. */
function fillError(text: string, vars: Record<string, string>): MissingVariablesError {
  try {
    fillTemplate(text, vars);
  } catch (err) {
    if (err instanceof MissingVariablesError) return err;
    throw err;
  }
  throw new Error('fillTemplate did not throw');
}

describe('templateVariables', () => {
  it('lists each name once, in the order it first appears', () => {
    expect(templateVariables('{{ b }} and {{a}} then {{ b }} and {{c}}{{a}}')).toEqual(['b', 'a', 'c']);
    expect(templateVariables('no variables here')).toEqual([]);
    expect(templateVariables('')).toEqual([]);
  });

  it('takes any whitespace inside the braces, line breaks and tabs included', () => {
    expect(templateVariables('{{x}} {{ y }} {{\tz\t}} {{\n  w\n}} {{   v}}')).toEqual(['x', 'y', 'z', 'w', 'v']);
  });

  it('reads adjacent tags as separate tags', () => {
    expect(templateVariables('{{a}}{{b}}{{a}}')).toEqual(['a', 'b']);
  });

  it('takes the documented name grammar, dots, dashes and digits after the first character', () => {
    expect(templateVariables('{{ user.name }} {{ tone-of-voice }} {{ _x9 }} {{ A }}')).toEqual(['user.name', 'tone-of-voice', '_x9', 'A']);
    expect(TEMPLATE_NAME.test('a.b-c_1')).toBe(true);
    for (const bad of ['9lives', '-x', '.x', 'a b', 'café', '', 'x|y']) expect(TEMPLATE_NAME.test(bad), bad).toBe(false);
  });

  it('leaves everything that is not a tag as text: lone braces, logic, filters, spaces inside names, non-ASCII names', () => {
    for (const text of ['{{ x', 'x }}', '{{}}', '{{ }}', '{{ a b }}', '{{ x | upper }}', '{% if x %}y{% endif %}', '{{ 9x }}', '{{ café }}', '{ {x} }', '{{ "a\\"b" }}']) {
      expect(templateVariables(text), text).toEqual([]);
      expect(fillTemplate(text, {}), text).toBe(text);
    }
  });

  it('finds the tag inside extra braces, which stay text', () => {
    expect(templateVariables('{{{x}}}')).toEqual(['x']);
    expect(fillTemplate('{{{x}}}', { x: 'v' })).toBe('{v}');
    expect(fillTemplate('{{{{x}}}}', { x: 'v' })).toBe('{{v}}');
    expect(fillTemplate('{{ {{x}} }}', { x: 'v' })).toBe('{{ v }}');
  });

  it('does not count a string tag as a variable', () => {
    expect(templateVariables('{{ "{{" }} name }} {{ real }}')).toEqual(['real']);
  });
});

describe('fillTemplate', () => {
  it('replaces every occurrence, repeated and adjacent', () => {
    expect(fillTemplate('Hi {{ name }}, {{name}}!', { name: 'Ada' })).toBe('Hi Ada, Ada!');
    expect(fillTemplate('{{a}}{{b}}{{a}}', { a: '1', b: '2' })).toBe('121');
  });

  it('inserts values verbatim and only once: a value with a tag in it is not expanded', () => {
    expect(fillTemplate('say {{a}}', { a: '{{b}}', b: 'no' })).toBe('say {{b}}');
    expect(fillTemplate('{{a}} {{b}}', { a: '{{b}}', b: 'B' })).toBe('{{b}} B');
  });

  it('keeps replacement patterns in values as they are ($&, $1, $$)', () => {
    expect(fillTemplate('cost: {{p}}', { p: '$& $1 $$ $`' })).toBe("cost: $& $1 $$ $`");
  });

  it('keeps unicode in the text and in values, line breaks and empty values included', () => {
    expect(fillTemplate('« {{ q }} » — 日本 {{e}}🙂', { q: 'Grüße\n👋🏽', e: '' })).toBe('« Grüße\n👋🏽 » — 日本 🙂');
  });

  it('leaves unmatched braces around tags as text', () => {
    expect(fillTemplate('{{ open and {{x}} and close }}', { x: 'X' })).toBe('{{ open and X and close }}');
    expect(fillTemplate('}}{{x}}{{', { x: 'X' })).toBe('}}X{{');
  });

  it('escapes with a string tag, as Nunjucks does: {{ "{{" }} gives {{', () => {
    expect(fillTemplate('{{ "{{" }} name }}', {})).toBe('{{ name }}');
    expect(fillTemplate("{{ '{{' }}x{{ '}}' }}", {})).toBe('{{x}}');
    expect(fillTemplate('{{ "" }}', {})).toBe('');
    expect(fillTemplate('{{"a }} b"}}', {})).toBe('a }} b');
  });

  it('ignores values the template does not use', () => {
    expect(fillTemplate('plain', { unused: 'x' })).toBe('plain');
  });

  it('names every missing variable at once, in template order, and fills nothing', () => {
    const err = fillError('{{ tone }} about {{ topic }} for {{ who }} in {{tone}}', { who: 'kids' });
    expect(err.missing).toEqual(['tone', 'topic']);
    expect(err.message).toBe('missing values for 2 variables: tone, topic');
    expect(fillError('{{x}}', {}).message).toBe('missing a value for variable: x');
  });

  it('counts only own keys: a name like constructor or __proto__ is an ordinary variable', () => {
    expect(missingVariables('{{ constructor }} {{ __proto__ }} {{ toString }}', {})).toEqual(['constructor', '__proto__', 'toString']);
    expect(fillTemplate('{{constructor}}', { constructor: 'c' } as Record<string, string>)).toBe('c');
  });

  it('treats a name as case-sensitive', () => {
    expect(missingVariables('{{Name}} {{name}}', { name: 'x' })).toEqual(['Name']);
  });
});
