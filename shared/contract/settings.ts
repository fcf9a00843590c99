import { z } from 'zod';
import { defineCall } from './define';
import { parseTarget } from '../targets';

/** A target as compare takes it: a stored model set never holds one compare would refuse (`:`, `a b`). */
export const TargetString = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((v, ctx) => {
    try {
      parseTarget(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

export const ModelSet = z.object({ name: z.string().min(1).max(80), targets: z.array(TargetString).min(1).max(64) });
export type ModelSet = z.infer<typeof ModelSet>;

export const Settings = z.object({
  modelSets: z.array(ModelSet),
  keyStorage: z.object({
    /** e.g. "keychain", "basic_text", "env-only" */
    backend: z.string(),
    secure: z.boolean(),
    warning: z.string().nullable(),
  }),
  transport: z.enum(['ipc', 'http']),
  version: z.string(),
  catalogAsOf: z.string().nullable(),
});
export type Settings = z.infer<typeof Settings>;

const field = (max: number) => z.string().max(max).optional();

/**
 * The compare form as typed, kept in SQLite so a reload or a crash of the window
 * loses nothing. Loose: fields the form gains (attachments) are kept as they come.
 */
export const SavedDraft = z.looseObject({
  system: field(1_000_000),
  prompt: field(1_000_000),
  temperature: field(40),
  maxTokens: field(40),
  topP: field(40),
  seed: field(40),
  idleTimeout: field(40),
  firstTokenTimeout: field(40),
  targets: z.array(z.string().max(1000)).max(64).optional(),
});
export type SavedDraft = z.infer<typeof SavedDraft>;

export const settingsContract = {
  getSettings: defineCall('settings:get-settings', z.object({}).default({}), Settings),
  saveModelSet: defineCall('settings:save-model-set', ModelSet, z.object({ ok: z.boolean() })),
  deleteModelSet: defineCall('settings:delete-model-set', z.object({ name: z.string().min(1) }), z.object({ ok: z.boolean() })),
  /** @example saveDraft({ draft: { prompt: 'Hi', targets: ['openai:gpt-4o-mini'] } }) */
  saveDraft: defineCall('settings:save-draft', z.object({ draft: SavedDraft }), z.object({ ok: z.boolean() })),
  /** The last draft saved, or null before the first. */
  getDraft: defineCall('settings:get-draft', z.object({}).default({}), z.object({ draft: SavedDraft.nullable() })),
} as const;
