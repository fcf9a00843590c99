/**
 * Builds a ContractClient from the contract definition, so neither transport
 * lists calls by hand: adding a call to shared/contract adds it here too.
 */
import { allCalls, type CallDef, type ContractClient } from '../../shared/contract';
import { CompareEvent } from '../../shared/domain';

export type Call = { domain: string; method: string; def: CallDef };
/** Sends one call over the wire and resolves with the raw (unvalidated) reply. */
export type Invoke = (call: Call, args: unknown) => Promise<unknown>;
export type Subscribe = (listener: (event: CompareEvent) => void) => () => void;

type ZodIssueLike = { path: PropertyKey[]; message: string };

export function firstIssue(issues: readonly ZodIssueLike[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

export function buildClient(invoke: Invoke, subscribe: Subscribe): ContractClient {
  const domains: Record<string, Record<string, (args: unknown) => Promise<unknown>>> = {};
  for (const call of allCalls()) {
    const { domain, method, def } = call;
    const group = (domains[domain] ??= {});
    group[method] = async (args: unknown) => {
      // Checked here too so a bad form value fails with the schema's own sentence, before a round trip.
      const checked = def.args.safeParse(args);
      if (!checked.success) throw new Error(firstIssue(checked.error.issues));
      const raw = await invoke(call, args);
      // The engine is another process (or another machine): never trust the shape of what comes back.
      const parsed = def.result.safeParse(raw);
      if (!parsed.success) throw new Error(`unexpected reply from ${def.channel}: ${firstIssue(parsed.error.issues)}`);
      return parsed.data;
    };
  }
  // The mapped ContractClient type cannot be produced by iteration; the loop above covers every call of `contract`.
  return { ...domains, onCompareEvent: subscribe } as unknown as ContractClient;
}

/** Validates one streamed event; a malformed one is dropped rather than corrupting a column. */
export function parseCompareEvent(raw: unknown): CompareEvent | null {
  const parsed = CompareEvent.safeParse(raw);
  if (parsed.success) return parsed.data;
  console.warn(`switchyard: dropped malformed compare event (${firstIssue(parsed.error.issues)})`);
  return null;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'unknown error';
}
