/**
 * What crosses IPC for a contract call. Errors travel as data because
 * `ipcRenderer.invoke` would otherwise wrap them as "Error invoking remote
 * method 'x': Error: ...", and the UI shows the message as it is.
 */
export type Envelope = { ok: true; value: unknown } | { ok: false; error: string };

const MAX_ERROR_LENGTH = 300;

/** One line, bounded: the renderer shows it as is, and stack traces stay in the main process. */
export function oneLine(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unexpected error';
  const line = raw.replace(/\s*\n\s*/g, ' ').trim() || 'unexpected error';
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

export function unwrapEnvelope(channel: string, reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const env = reply as Envelope;
    if (env.ok) return env.value;
    if (typeof env.error === 'string') throw new Error(env.error);
  }
  throw new Error(`malformed reply on ${channel}`);
}
