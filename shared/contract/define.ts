import type { z } from 'zod';

/** One request/response call of the contract. Channel names are `domain:verb-noun`. */
export interface CallDef<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  channel: `${string}:${string}-${string}` | `${string}:${string}`;
  args: A;
  result: R;
}

export function defineCall<A extends z.ZodType, R extends z.ZodType>(channel: CallDef['channel'], args: A, result: R): CallDef<A, R> {
  return { channel, args, result };
}

export type Args<C> = C extends CallDef<infer A, z.ZodType> ? z.input<A> : never;
export type ParsedArgs<C> = C extends CallDef<infer A, z.ZodType> ? z.output<A> : never;
export type Result<C> = C extends CallDef<z.ZodType, infer R> ? z.output<R> : never;

/** The object schema under defaults and optionals, or null when the arguments are not an object. */
function objectShape(schema: z.ZodType): Record<string, unknown> | null {
  const s = schema as unknown as { shape?: Record<string, unknown>; unwrap?: () => z.ZodType };
  if (s.shape && typeof s.shape === 'object') return s.shape;
  return typeof s.unwrap === 'function' ? objectShape(s.unwrap()) : null;
}

/**
 * Top-level fields a call does not take. zod drops them silently, so a misspelt field
 * (`{ target: … }` for `targets`) would be ignored instead of refused.
 * @example unknownArgKeys(contract.history.getRun, { runId: 'r', id: 1 }) // ['id']
 */
export function unknownArgKeys(def: CallDef, value: unknown): string[] {
  const shape = objectShape(def.args);
  if (!shape || !value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).filter((k) => !Object.hasOwn(shape, k));
}
