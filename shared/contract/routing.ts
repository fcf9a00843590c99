import { z } from 'zod';
import { defineCall } from './define';

/** One endpoint's health from this machine's own recorded attempts. */
export const EndpointHealthView = z.object({
  endpointId: z.string(),
  samples: z.number().int(),
  errorRate: z.number(),
  ttftP50Ms: z.number().nullable(),
  ttftP95Ms: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  lastErrorAt: z.number().nullable(),
  lastErrorKind: z.string().nullable(),
  breaker: z.enum(['closed', 'open', 'half-open']),
  misconfigured: z.string().nullable(),
});
export type EndpointHealthView = z.infer<typeof EndpointHealthView>;

export const routingContract = {
  listEndpoints: defineCall('routing:list-endpoints', z.object({}).default({}), z.array(EndpointHealthView)),
} as const;
