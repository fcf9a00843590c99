/**
 * Browser transport for the headless host: one POST per call
 * (`/api/rpc/<channel>`), and one EventSource shared by all listeners.
 */
import { COMPARE_EVENT_CHANNEL, type ContractClient } from '../../shared/contract';
import type { CompareEvent } from '../../shared/domain';
import { buildClient, parseCompareEvent } from './build';

export interface HttpOptions {
  token: string;
  /** Prefix for the API paths; '' means same origin as the page. */
  origin?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

async function errorFrom(res: Response): Promise<string> {
  const fallback = `${res.status} ${res.statusText || 'error'} from the Switchyard host`;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' && body.error) return body.error;
  } catch {
    // Not JSON (a proxy page, an empty body): the status line is the best cause we have.
  }
  return fallback;
}

export function createHttpClient(opts: HttpOptions): ContractClient {
  const origin = opts.origin ?? '';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const ES = opts.EventSource ?? EventSource;
  const listeners = new Set<(event: CompareEvent) => void>();
  let source: EventSource | null = null;

  const open = (): void => {
    source = new ES(`${origin}/api/events?token=${encodeURIComponent(opts.token)}`);
    const onFrame = (msg: MessageEvent<string>): void => {
      let raw: unknown;
      try {
        raw = JSON.parse(msg.data);
      } catch {
        console.warn('switchyard: dropped an event that is not JSON');
        return;
      }
      const event = parseCompareEvent(raw);
      if (!event) return;
      for (const l of listeners) l(event);
    };
    // The host may name its frames after the contract channel or send plain messages; a frame is only ever one of the two.
    source.addEventListener('message', onFrame);
    source.addEventListener(COMPARE_EVENT_CHANNEL, onFrame);
  };

  return buildClient(
    async ({ def }, args) => {
      let res: Response;
      try {
        // Channel names are `domain:verb-noun`, path-safe as they are.
        res = await doFetch(`${origin}/api/rpc/${def.channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
          body: JSON.stringify(args ?? {}),
        });
      } catch (err) {
        throw new Error(`cannot reach the Switchyard host (${err instanceof Error ? err.message : String(err)})`);
      }
      if (!res.ok) throw new Error(await errorFrom(res));
      return res.json();
    },
    (listener) => {
      listeners.add(listener);
      // EventSource reconnects by itself; one connection serves every listener.
      if (!source) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  );
}
