import { scrub } from './scrub';

/** A mistake in what the user asked for: shown as one line, never a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly code: 'usage' | 'not_found' | 'config' | 'policy' | 'budget' = 'usage') {
    super(message);
  }
}

/** One line from anything thrown, for logs and the UI; scrubbed again, as the last net before a sink. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return scrub(msg.split('\n')[0]!);
}

/** A zod error as one line: `baseUrl: base URL must be an http(s) URL; targets: pick at least one model`. */
export function zodLine(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}
