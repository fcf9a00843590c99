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
