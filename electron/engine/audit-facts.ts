/** How the engine names its decisions for the audit log (electron/audit): which rule a refusal rests on. */
import type { RefusalRule } from '../audit/entries';
import { UserError } from './errors';

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}

/** A key refused at send time: not there, or bound to another host. */
export function keyRefusalRule(error: string): RefusalRule {
  return /^missing key|was removed|only the desktop app|cannot decrypt/.test(error) ? 'missing-key' : 'key-policy';
}

/** A column that sent nothing: its reason, as the plan gave it. */
export function columnRefusal(reason: string): { rule: RefusalRule; reason: string } {
  if (/does not accept/.test(reason)) return { rule: 'modality', reason };
  if (/^missing key|stored key/.test(reason)) return { rule: 'missing-key', reason };
  if (/no provider serves it|unknown provider|no endpoint available|circuit open/.test(reason)) return { rule: 'unservable', reason };
  if (/budget/.test(reason)) return { rule: 'budget', reason };
  if (/bound to|keys are sent only/.test(reason)) return { rule: 'key-policy', reason };
  return { rule: 'constraints', reason };
}

/** A whole request refused before any column started; null for a malformed request (no decision to record). */
export function requestRefusal(err: unknown): { rule: RefusalRule; reason: string } | null {
  if (!(err instanceof UserError)) return null;
  if (err.code === 'budget') return { rule: 'budget', reason: err.message };
  if (err.code === 'policy') return { rule: 'key-policy', reason: err.message };
  if (err.code === 'config') return { rule: /missing key/.test(err.message) ? 'missing-key' : 'unservable', reason: err.message };
  if (err.code === 'not_found' && /unknown (provider|model)|serve/.test(err.message)) return { rule: 'unservable', reason: err.message };
  return null;
}
