/**
 * Markdown to sanitised HTML. Model output is untrusted: everything goes
 * through DOMPurify, and links open outside the app.
 */
import DOMPurify from 'dompurify';
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

// A fixed set keeps the bundle small and auto-detection cheap.
const LANGUAGES = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, def] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, def);

// Auto-detection runs every registered grammar: keep it to blocks small enough to stay well inside a frame budget.
const AUTO_DETECT_LIMIT = 2_000;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function codeRenderer(autoDetect: boolean) {
  return ({ text, lang }: Tokens.Code): string => {
    const language = (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    let body: string;
    let label = language;
    if (language && hljs.getLanguage(language)) {
      body = hljs.highlight(text, { language, ignoreIllegals: true }).value;
    } else if (!language && autoDetect && text.length <= AUTO_DETECT_LIMIT) {
      // Auto-detection tries every language: only worth it once, on a finished reply.
      const r = hljs.highlightAuto(text);
      body = r.value;
      label = r.language ?? '';
    } else {
      body = escapeHtml(text);
    }
    const cls = label ? ` class="hljs language-${escapeHtml(label)}"` : ' class="hljs"';
    return `<pre><code${cls}>${body}</code></pre>\n`;
  };
}

const streaming = new Marked({ gfm: true, async: false, renderer: { code: codeRenderer(false) } });
const finished = new Marked({ gfm: true, async: false, renderer: { code: codeRenderer(true) } });

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

export type MarkdownMode = 'streaming' | 'final';

export function renderMarkdown(src: string, mode: MarkdownMode): string {
  const html = (mode === 'final' ? finished : streaming).parse(src, { async: false });
  // Inline style attributes would be refused by the CSP anyway; dropping them keeps the console clean.
  return purifier().sanitize(html, { FORBID_ATTR: ['style'], FORBID_TAGS: ['style', 'form', 'input', 'button'] });
}
