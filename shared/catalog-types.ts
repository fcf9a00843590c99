/**
 * Catalog record shapes, shared by the engine's catalog document and the UI's
 * catalog view. Pure zod: the catalog file itself is read in electron/.
 */
import { z } from 'zod';
import { Capabilities, Price } from './domain';

export const CatalogProtocol = z.enum(['openai', 'anthropic', 'gemini']).nullable();

export const CatalogProvider = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Base URL where the provider speaks `protocol`; null when it needs a per-account URL. */
  api: z.string().nullable(),
  env: z.array(z.string()).default([]),
  doc: z.string().nullable().default(null),
  npm: z.string().nullable().default(null),
  protocol: CatalogProtocol,
});
export type CatalogProvider = z.infer<typeof CatalogProvider>;

export const CatalogModel = z.object({
  /** Canonical `lab/model`, lowercase. */
  id: z.string().min(1),
  name: z.string(),
  family: z.string().nullable(),
  reasoning: z.boolean().nullable(),
  toolCall: z.boolean().nullable(),
  attachment: z.boolean().nullable(),
  structuredOutput: z.boolean().nullable(),
  inputModalities: z.array(z.string()),
  outputModalities: z.array(z.string()),
  contextWindow: z.number().int().nullable(),
  maxOutput: z.number().int().nullable(),
  releaseDate: z.string().nullable(),
  openWeights: z.boolean().nullable(),
  /**
   * Other ids the source gives this same model, spelt with `-` where this one has `.` in a
   * version or the other way round (`anthropic/claude-sonnet-4.6` beside `…-4-6`): each resolves to it.
   */
  aliases: z.array(z.string()).optional(),
});
export type CatalogModel = z.infer<typeof CatalogModel>;

export const CatalogEndpoint = z.object({
  providerId: z.string().min(1),
  upstreamModel: z.string().min(1),
  modelId: z.string().min(1),
  price: Price.nullable(),
  contextWindow: z.number().int().nullable(),
  maxOutput: z.number().int().nullable(),
  capabilities: Capabilities,
});
export type CatalogEndpoint = z.infer<typeof CatalogEndpoint>;
