import { z } from 'zod';
import { BASE_URL_CREDENTIALS_ERROR, hasUrlCredentials } from '../base-url';
import { ProviderId, ProviderType, ServeMapping } from '../domain';
import { defineCall } from './define';

/** What the renderer may know about a key: never the key itself. */
export const KeyView = z.object({
  kind: z.enum(['env', 'secret']),
  /** Env var name, or "keychain". */
  label: z.string(),
  set: z.boolean(),
  last4: z.string().nullable(),
});
export type KeyView = z.infer<typeof KeyView>;

export const ProviderView = z.object({
  id: z.string(),
  type: ProviderType,
  baseUrl: z.string(),
  keys: z.array(KeyView),
  serves: z.array(ServeMapping),
});
export type ProviderView = z.infer<typeof ProviderView>;

export const ProviderTestResult = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  models: z.array(z.string()),
  error: z.string().nullable(),
});
export type ProviderTestResult = z.infer<typeof ProviderTestResult>;

/** An entry of the model picker: one selectable target. */
export const ModelOption = z.object({ target: z.string(), label: z.string(), provider: z.string(), modelId: z.string().nullable() });
export type ModelOption = z.infer<typeof ModelOption>;

export const SaveProviderArgs = z.object({
  id: ProviderId,
  type: ProviderType,
  baseUrl: z.url({ message: 'base URL must be an http(s) URL' }).max(2048, 'base URL is too long (2048 characters at most)').refine((u) => !hasUrlCredentials(u), { message: BASE_URL_CREDENTIALS_ERROR }),
  /** New key material (write-only; stored encrypted, never returned). Omit to keep the current key. */
  apiKey: z.string().min(1).max(500).optional(),
  /** Or: read the key from this environment variable. */
  apiKeyEnv: z.string().max(200).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid environment variable name').optional(),
  serves: z.array(ServeMapping).default([]),
  /** Required to change the type (wire protocol) of an existing provider: the window asks first. */
  replace: z.boolean().optional(),
});

export const providersContract = {
  listProviders: defineCall('providers:list-providers', z.object({}).default({}), z.array(ProviderView)),
  saveProvider: defineCall('providers:save-provider', SaveProviderArgs, ProviderView),
  removeProvider: defineCall('providers:remove-provider', z.object({ id: z.string().min(1) }), z.object({ ok: z.boolean() })),
  testProvider: defineCall('providers:test-provider', z.object({ id: z.string().min(1) }), ProviderTestResult),
  listModels: defineCall('providers:list-models', z.object({ query: z.string().max(200).optional() }).default({}), z.array(ModelOption)),
} as const;
