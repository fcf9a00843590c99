import { toolPromptTexts } from '../../shared/tools';

/**
 * A tokenizer-free upper bound on prompt tokens, for the request path: loading
 * a BPE table costs 0.5-3 s, which a CLI call or a fan-out must not pay before
 * its first byte. No common tokenizer spends fewer than 3 UTF-8 bytes per token
 * on English, and CJK characters are 1 token at worst, so this overestimates:
 * safe for budgets (worst case) and context checks. Exact counts come from
 * tokens.ts where they are shown (pre-flight estimate, usage fallback).
 */
export function promptTokenBound(prompt: { system?: string | null | undefined; messages: ReadonlyArray<{ content: string }> } & Partial<Parameters<typeof toolPromptTexts>[0]>): number {
  let total = 3;
  const add = (s: string) => {
    let bytes = 0;
    let wide = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) bytes++;
      else {
        bytes += c < 0x800 ? 2 : 3;
        wide++;
      }
    }
    total += 4 + Math.max(Math.ceil(bytes / 3), wide);
  };
  if (prompt.system) add(prompt.system);
  for (const m of prompt.messages) add(m.content);
  for (const t of toolPromptTexts({ ...prompt, messages: prompt.messages })) add(t);
  return total;
}
