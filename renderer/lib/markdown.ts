/**
 * Markdown to sanitised HTML. Model output is untrusted: every string goes
 * through `sanitizeHtml` (lib/sanitize) before the page parses it.
 */
import { Marked, type Tokens } from 'marked';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { escapeHtml, scrubMarkup } from './inertHtml';
import { loadMath, mathExtensions, mathLoaded, typeset } from './math';
import { sanitizeHtml } from './sanitize';

// A fixed set keeps the bundle small and auto-detection cheap.
const LANGUAGES = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, def] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, def);

/**
 * highlight.js costs about 10 µs per character once a grammar is compiled, and
 * auto-detection runs every registered grammar (~20 ms for 1 KB). A parse must
 * stay a small task, so only small blocks with a named language are
 * highlighted inside the parse; bigger ones, and unnamed ones (detected from
 * their first lines), are marked `data-highlight` and highlighted afterwards a
 * slice at a time (`highlightStep`).
 */
export const INLINE_HIGHLIGHT_LIMIT = 800;
/** Characters of code highlighted per deferred step (a few ms). */
export const HIGHLIGHT_SLICE = 800;
/** Characters auto-detection looks at to name an unnamed block's language. */
export const AUTO_DETECT_SAMPLE = 400;

function codeRenderer(mode: MarkdownMode) {
  return ({ text, lang }: Tokens.Code): string => {
    const language = (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const known = !!language && !!hljs.getLanguage(language);
    const label = language ? ` language-${escapeHtml(language)}` : '';
    if (known && text.length <= INLINE_HIGHLIGHT_LIMIT) {
      return `<pre><code class="hljs${label}">${hljs.highlight(text, { language, ignoreIllegals: true }).value}</code></pre>\n`;
    }
    // A streaming tail is re-parsed and replaced soon: only settled (final) blocks are worth highlighting later.
    const later = mode === 'final' && (known || !language) ? ` data-highlight="${known ? escapeHtml(language) : 'auto'}"` : '';
    return `<pre><code class="hljs${label}"${later}>${escapeHtml(text)}</code></pre>\n`;
  };
}

const streaming = new Marked({ gfm: true, async: false, renderer: { code: codeRenderer('streaming') }, extensions: mathExtensions('streaming') });
const finished = new Marked({ gfm: true, async: false, renderer: { code: codeRenderer('final') }, extensions: mathExtensions('final') });

export type MarkdownMode = 'streaming' | 'final';

export function renderMarkdown(src: string, mode: MarkdownMode): string {
  return sanitizeHtml((mode === 'final' ? finished : streaming).parse(src, { async: false }));
}

const progress = new WeakMap<Element, { done: number; html: string }>();

/**
 * One deferred highlighting step for a `code[data-highlight]` element rendered
 * by `renderMarkdown`: names an unnamed block's language from its first lines,
 * or highlights the next slice of the block (cut at a line end, at a blank line
 * when there is one: grammar state restarts at each cut). Returns true while
 * more remains. highlight.js escapes the code it is given and the element's
 * own text is all it reads; its output still goes through the string pass of
 * `scrubMarkup` (cheap) so that no path sets unscrubbed markup on the page.
 */
export function highlightStep(code: HTMLElement): boolean {
  const language = code.dataset.highlight;
  if (!language || !code.isConnected) return false;
  const text = code.textContent ?? '';
  if (language === 'auto') {
    const sample = text.length <= AUTO_DETECT_SAMPLE ? text : text.slice(0, text.lastIndexOf('\n', AUTO_DETECT_SAMPLE) + 1 || AUTO_DETECT_SAMPLE);
    const r = hljs.highlightAuto(sample);
    if (!r.language) {
      delete code.dataset.highlight;
      return false;
    }
    code.classList.add(`language-${r.language}`);
    if (sample.length === text.length) {
      code.innerHTML = scrubMarkup(r.value);
      delete code.dataset.highlight;
      return false;
    }
    code.dataset.highlight = r.language;
    return true;
  }
  if (!hljs.getLanguage(language)) {
    delete code.dataset.highlight;
    return false;
  }
  const state = progress.get(code) ?? { done: 0, html: '' };
  let end = Math.min(text.length, state.done + HIGHLIGHT_SLICE);
  if (end < text.length) {
    const blank = text.lastIndexOf('\n\n', end);
    const nl = text.lastIndexOf('\n', end);
    end = blank > state.done ? blank + 1 : nl > state.done ? nl + 1 : end;
  }
  state.html += scrubMarkup(hljs.highlight(text.slice(state.done, end), { language, ignoreIllegals: true }).value);
  state.done = end;
  code.innerHTML = state.html + escapeHtml(text.slice(end));
  if (end < text.length) {
    progress.set(code, state);
    return true;
  }
  progress.delete(code);
  delete code.dataset.highlight;
  return false;
}

/**
 * Small jobs that run the markdown pipeline once before it is needed: the first
 * parse, the first sanitise and each grammar's first use compile code and
 * regular expressions (5-40 ms each, Java over 100 ms), which would otherwise
 * land in the first frames of the first run. Run them when the page is idle.
 */
export function warmUpJobs(): Array<() => void> {
  const sample = 'const a = [1, 2].map((x) => x * 2); // note\nfunction f(b: string): string {\n  return `${b}!`;\n}\n';
  return [
    // KaTeX is fetched and compiled before the first answer with math needs it.
    () => void loadMath(),
    () => renderMarkdown('Some **bold**, `code` and [a link](https://example.com).\n\n- one\n- two\n\npartial *tai', 'streaming'),
    () => renderMarkdown(`## Heading\n\n1. item\n\n> quote\n\n\`\`\`ts\n${sample}\`\`\`\n`, 'final'),
    // Every grammar once (auto-detection runs them all); the slowest to compile last.
    ...Object.keys(LANGUAGES)
      .sort((a, b) => Number(a === 'java') - Number(b === 'java'))
      .map((language) => () => void hljs.highlight(sample, { language, ignoreIllegals: true })),
    () => void (mathLoaded() && typeset('\\sum_{i=1}^{n} \\frac{x_i}{2}', true)),
  ];
}
