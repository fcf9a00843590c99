import { describe, expect, it } from 'vitest';

// Vitest blanks every CSS import (?raw too) and this project has no Node types,
// so read the stylesheet through the one Node door typed by hand here.
type NodeGlobals = { process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: URL, encoding: 'utf8'): string } } };
const here = import.meta.url; // not inline: Vitest rewrites `new URL(…, import.meta.url)` to the page's location
const css = (globalThis as unknown as NodeGlobals).process.getBuiltinModule('node:fs').readFileSync(new URL('../../renderer/styles/base.css', here), 'utf8');

// Badges and buttons are 10.5–13 px text: WCAG AA asks 4.5:1 at that size.
const AA_SMALL = 4.5;

function tokens(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}
const light = tokens(/^:root\s*\{([^}]*)\}/m.exec(css)![1]!);
const dark = { ...light, ...tokens(/prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)![1]!) };

/** The colour and background a rule takes from the theme, read from the rule itself so the test follows the CSS. */
function pair(selector: string): { fg: string; bg: string } {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = new RegExp(`(?:^|\\n)(?:[^{}\\n]*,\\s*)?${escaped}(?:,[^{}]*)?\\s*\\{([^}]*)\\}`).exec(css)?.[1];
  const fg = /(?:^|;|\s)color:\s*var\(--([\w-]+)\)/.exec(body ?? '')?.[1];
  const bg = /background:\s*var\(--([\w-]+)\)/.exec(body ?? '')?.[1];
  if (!fg || !bg) throw new Error(`${selector}: expected color and background from theme variables`);
  return { fg, bg };
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function ratio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('theme contrast', () => {
  // The hover rules too: a confirm button's text must stay readable under the pointer.
  const rules = ['.btn-danger', '.btn-primary', ".btn-danger:hover:not(:disabled):not([aria-disabled='true'])", ".btn-primary:hover:not(:disabled):not([aria-disabled='true'])", '.status', '.status-running', '.status-ok', '.status-error', '.status-interrupted'];
  for (const [theme, t] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it.each(rules)(`${theme}: %s text is at least 4.5:1 on its background`, (selector) => {
      const { fg, bg } = pair(selector);
      expect(t[fg], `--${fg}`).toBeDefined();
      expect(t[bg], `--${bg}`).toBeDefined();
      expect(ratio(t[fg]!, t[bg]!)).toBeGreaterThanOrEqual(AA_SMALL);
    });
  }

  it('measures contrast the WCAG way', () => {
    expect(ratio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(ratio('#ffffff', '#f07070')).toBeCloseTo(2.89, 2);
  });
});
