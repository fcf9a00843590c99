import { z } from 'zod';
import { defineCall } from './define';

/** The longest prompt body the library keeps: the compare form's own limit. */
export const MAX_PROMPT_BODY = 1_000_000;
export const MAX_PROMPT_NAME = 120;

export const PromptKind = z.enum(['prompt', 'system']);
export type PromptKind = z.infer<typeof PromptKind>;

// eslint-disable-next-line no-control-regex -- a name is one printable line
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A library name: one printable line, no surrounding spaces (so `prompts show` finds what `prompts list` shows). */
export const PromptName = z
  .string()
  .min(1, 'name the prompt')
  .max(MAX_PROMPT_NAME, `a prompt name is at most ${MAX_PROMPT_NAME} characters`)
  .refine((s) => !CONTROL.test(s), 'a prompt name is one line of printable characters')
  .refine((s) => s.trim() === s && s.trim() !== '', 'a prompt name has no leading or trailing spaces');

export const PromptBody = z
  .string()
  .max(MAX_PROMPT_BODY, `a prompt is at most ${MAX_PROMPT_BODY.toLocaleString('en-US')} characters`)
  .refine((s) => s.trim() !== '', 'the prompt is empty');

/** A saved prompt or system prompt; `variables` are its `{{ names }}` in order (shared/template.ts). */
export const SavedPrompt = z.object({
  id: z.string(),
  name: z.string(),
  kind: PromptKind,
  body: z.string(),
  variables: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export type SavedPrompt = z.infer<typeof SavedPrompt>;

export const SavePromptArgs = z.object({
  /** The prompt to update (rename or new body); absent: a new one. */
  id: z.string().min(1).max(200).optional(),
  name: PromptName,
  kind: PromptKind,
  body: PromptBody,
  /** Overwrite the prompt of the same name and kind instead of refusing. */
  replace: z.boolean().default(false),
});
export type SavePromptArgs = z.input<typeof SavePromptArgs>;

const Ok = z.object({ ok: z.boolean() });

export const promptsContract = {
  /**
   * Saved prompts, most recently used first (then by name); `query` keeps those whose name or body has it (any case).
   * @example listPrompts({ kind: 'system', query: 'review' })
   */
  listPrompts: defineCall(
    'prompts:list-prompts',
    z.object({ kind: PromptKind.optional(), query: z.string().max(500).optional() }).default({}),
    z.array(SavedPrompt),
  ),
  /**
   * Creates or updates; a name taken in the same kind is refused unless `replace`.
   * @example savePrompt({ name: 'explain', kind: 'prompt', body: 'Explain {{ topic }} to {{ audience }}' })
   */
  savePrompt: defineCall('prompts:save-prompt', SavePromptArgs, SavedPrompt),
  deletePrompt: defineCall('prompts:delete-prompt', z.object({ id: z.string().min(1).max(200) }), Ok),
  /** Records that a prompt was just used (picked and filled in), for the library's order. */
  markUsed: defineCall('prompts:mark-used', z.object({ id: z.string().min(1).max(200) }), Ok),
} as const;
