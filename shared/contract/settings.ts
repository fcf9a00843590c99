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

export const settingsContract = {
  getSettings: defineCall('settings:get-settings', z.object({}).default({}), Settings),
  saveModelSet: defineCall('settings:save-model-set', ModelSet, z.object({ ok: z.boolean() })),
  deleteModelSet: defineCall('settings:delete-model-set', z.object({ name: z.string().min(1) }), z.object({ ok: z.boolean() })),
} as const;
