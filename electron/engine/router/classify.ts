/**
 * What the runner does after a failed attempt, per normalised error class.
 * One table so every caller (compare, CLI, gateway) fails over the same way.
 */
import type { ErrorKind } from '../../../shared/domain';

export type FailureAction = 'retry_same_after_backoff' | 'next_endpoint' | 'misconfigured' | 'no_retry';

/**
 * @example classifyFailure('rate_limit') // 'retry_same_after_backoff'
 *
 * - `rate_limit`: the endpoint works, it is just busy or this key is throttled:
 *   the runner moves to the provider's next key if it has one, else backs off
 *   (honouring Retry-After) before trying the same endpoint again.
 * - `auth` / `not_found` / `bad_request`: retrying the same endpoint cannot
 *   help; the runner marks it misconfigured with the provider's message and moves on.
 * - `cancelled` / `budget` / `policy` / `config`: the request itself must stop.
 * - `truncated` and the other mid-stream failures map to `next_endpoint`, but that
 *   only applies when nothing was streamed yet: once tokens reached the user the
 *   runner ends the column `incomplete` unless "continue elsewhere" was asked for,
 *   because restarting silently would splice two answers. This table cannot know
 *   how much was streamed, so that check belongs to the runner.
 */
export function classifyFailure(kind: ErrorKind): FailureAction {
  switch (kind) {
    case 'rate_limit':
      return 'retry_same_after_backoff';
    case 'server':
    case 'network':
    case 'timeout_connect':
    case 'timeout_first_token':
    case 'timeout_idle':
    case 'timeout_total':
    case 'malformed':
    case 'stream_error':
    case 'truncated':
      return 'next_endpoint';
    case 'auth':
    case 'not_found':
    case 'bad_request':
      return 'misconfigured';
    case 'cancelled':
    case 'budget':
    case 'policy':
    case 'config':
      return 'no_retry';
  }
}

/** Error kinds that say nothing about the endpoint's health (the request or the user stopped it). */
export function isEndpointFault(kind: ErrorKind | string | null): boolean {
  return kind !== 'cancelled' && kind !== 'budget' && kind !== 'policy' && kind !== 'config';
}
