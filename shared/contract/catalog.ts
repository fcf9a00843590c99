import { z } from 'zod';
import { CapabilityName, DataPolicy, Endpoint } from '../domain';
import { CatalogModel, CatalogProvider } from '../catalog-types';
import { defineCall } from './define';

export const CatalogQuery = z.object({
  query: z.string().max(200).optional(),
  provider: z.array(z.string()).max(50).optional(),
  capability: z.array(CapabilityName).optional(),
  modality: z.array(z.string()).max(10).optional(),
  maxInputPrice: z.number().nonnegative().optional(),
  minContext: z.number().int().nonnegative().optional(),
  zdr: z.boolean().optional(),
  jurisdiction: z.array(z.string()).max(20).optional(),
  sort: z.enum(['relevance', 'price', 'context', 'name', 'newest']).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type CatalogQuery = z.input<typeof CatalogQuery>;

/** `minInputPerM`/`minOutputPerM`: the cheapest paid endpoint's prices (free tiers left out, `freeTier` says one exists). */
export const CatalogHit = z.object({
  model: CatalogModel,
  endpoints: z.array(Endpoint),
  minInputPerM: z.number().nullable(),
  minOutputPerM: z.number().nullable().default(null),
  freeTier: z.boolean().default(false),
});
export type CatalogHit = z.infer<typeof CatalogHit>;

export const CatalogAbout = z.object({
  asOf: z.string(),
  source: z.string(),
  license: z.string(),
  stats: z.object({ providers: z.number(), models: z.number(), endpoints: z.number(), overrides: z.number() }),
});
export type CatalogAbout = z.infer<typeof CatalogAbout>;

export const ProviderFactsView = CatalogProvider.extend({ policy: DataPolicy });
export type ProviderFactsView = z.infer<typeof ProviderFactsView>;

export const catalogContract = {
  searchModels: defineCall('catalog:search-models', CatalogQuery, z.array(CatalogHit)),
  getModel: defineCall('catalog:get-model', z.object({ modelId: z.string().min(1) }), z.object({ model: CatalogModel, endpoints: z.array(Endpoint) })),
  listProviders: defineCall('catalog:list-providers', z.object({}).default({}), z.array(ProviderFactsView)),
  getAbout: defineCall('catalog:get-about', z.object({}).default({}), CatalogAbout),
} as const;
