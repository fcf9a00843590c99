/**
 * LaTeX math in answers: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]`
 * display, as a marked extension rendered by KaTeX to MathML. MathML needs no
 * inline styles (the CSP allows none) and no KaTeX fonts: Chromium lays it out
 * natively. KaTeX is big, so it is loaded on first need (or in idle time at
 * start, see `warmUpJobs`), and math is typeset only in settled chunks: the
 * streaming tail shows the TeX source, as it is re-parsed many times a second.
 */
import type { TokenizerAndRendererExtension, Tokens } from 'marked';
import type { KatexOptions } from 'katex';
import { escapeHtml } from './inertHtml';
import { sanitizeHtml } from './sanitize';

type Katex = typeof import('katex').default;
let katex: Katex | null = null;
let loading: Promise<Katex> | null = null;

/** Loads KaTeX once; resolves when it can typeset. */
export function loadMath(): Promise<Katex> {
  loading ??= import('katex').then((m) => (katex = m.default));
  return loading;
}

export const mathLoaded = (): boolean => katex !== null;

/** Untrusted TeX: no \href/\url/\htmlClass (trust), and bounded sizes and macro expansion (no exponential blow-up). */
const KATEX_OPTIONS: KatexOptions = { output: 'mathml', throwOnError: false, trust: false, strict: 'ignore', maxSize: 20, maxExpand: 500 };

/** KaTeX's MathML for `tex` (not yet sanitised); KaTeX must be loaded. */
export function typeset(tex: string, display: boolean): string {
  if (!katex) throw new Error('KaTeX is not loaded yet');
  return katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display });
}

interface MathToken extends Tokens.Generic {
  /** Renderers are looked up by token type: the block form has its own. */
  type: 'math' | 'mathBlock';
  raw: string;
  text: string;
  display: boolean;
}

const BLANK_LINE = /\n[ \t]*\n/;

/**
 * Inline forms. `$…$` follows pandoc's rule, so prices are not math: the
 * opening `$` is not followed by a space, the closing one not preceded by a
 * space nor followed by a digit ("$5 and $10" stays text).
 */
const INLINE: Array<[RegExp, boolean]> = [
  [/^\$\$((?:\\[\s\S]|[^\\$]|\$(?!\$))+?)\$\$/, true],
  [/^\\\[([\s\S]+?)\\\]/, true],
  [/^\\\(([\s\S]+?)\\\)/, false],
  [/^\$(?![\s$])((?:\\[\s\S]|[^\\$])*?(?:\\\S|[^\s\\$]))\$(?!\d)/, false],
];
/** Display math on lines of its own. */
const BLOCK: RegExp[] = [/^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/, /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/];

function token(type: MathToken['type'], raw: string, tex: string | undefined, display: boolean): MathToken | undefined {
  if (!tex?.trim() || BLANK_LINE.test(tex)) return undefined;
  return { type, raw, text: tex.trim(), display };
}

export type MathMode = 'streaming' | 'final';

function render(t: MathToken, mode: MathMode, block: boolean): string {
  const display = t.display ? 'display' : 'inline';
  let inner: string;
  if (mode === 'streaming') {
    inner = `<span class="md-math-src">${escapeHtml(t.raw.trim())}</span>`;
  } else if (katex) {
    inner = typeset(t.text, t.display);
  } else {
    // Not loaded yet: the source now, typeset by `mathStep` once KaTeX arrives.
    void loadMath();
    inner = `<span class="md-math-src" data-math="${display}" data-tex="${escapeHtml(t.text)}">${escapeHtml(t.raw.trim())}</span>`;
  }
  return block ? `<div class="md-math">${inner}</div>\n` : inner;
}

/** The marked extensions for one parse mode (in both, so `$a_b$` never turns into emphasis while it streams). */
export function mathExtensions(mode: MathMode): TokenizerAndRendererExtension[] {
  return [
    {
      name: 'mathBlock',
      level: 'block',
      tokenizer(src) {
        for (const re of BLOCK) {
          const m = re.exec(src);
          if (m) return token('mathBlock', m[0], m[1], true);
        }
        return undefined;
      },
      renderer: (t) => render(t as MathToken, mode, true),
    },
    {
      name: 'math',
      level: 'inline',
      // At a backslash too, so an escaped `\$` reaches marked's escape rule whole.
      start: (src) => {
        const i = src.search(/\\[$([]|\$/);
        return i < 0 ? undefined : i;
      },
      tokenizer(src) {
        for (const [re, display] of INLINE) {
          const m = re.exec(src);
          if (m) return token('math', m[0], m[1], display);
        }
        return undefined;
      },
      renderer: (t) => render(t as MathToken, mode, false),
    },
  ];
}

/**
 * Typesets one `[data-math]` placeholder left by a parse that ran before
 * KaTeX had loaded. Returns false when KaTeX is still loading (try again
 * after `loadMath()` resolves).
 */
export function mathStep(el: HTMLElement): boolean {
  const tex = el.dataset.tex;
  if (!el.isConnected || !el.dataset.math || tex === undefined) return true;
  if (!katex) return false;
  // Sanitised like every answer string before the page parses it.
  el.innerHTML = sanitizeHtml(typeset(tex, el.dataset.math === 'display'));
  el.className = '';
  delete el.dataset.math;
  delete el.dataset.tex;
  return true;
}
