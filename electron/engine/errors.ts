/** A mistake in what the user asked for: shown as one line, never a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly code: 'usage' | 'not_found' | 'config' | 'policy' | 'budget' = 'usage') {
    super(message);
  }
}

/** One line from anything thrown, for logs and the UI. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 500);
}

/** A zod error as one line: `baseUrl: base URL must be an http(s) URL; targets: pick at least one model`. */
export function zodLine(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}
