/**
 * The target syntax, stable across the CLI, the UI and the gateway:
 *   `provider:upstream-model`  a direct endpoint          e.g. `openai:gpt-4o-mini`
 *   `model-id`                 a catalog model, routed     e.g. `openai/gpt-4o-mini`
 *   `model-id@provider`        a catalog model, pinned     e.g. `openai/gpt-4o-mini@openrouter`
 *   `a,b,c`                    a chain: try in order when one fails
 */
import { quote } from './quote';

export type TargetStep =
  | { kind: 'direct'; provider: string; upstreamModel: string; raw: string }
  | { kind: 'model'; modelId: string; raw: string }
  | { kind: 'pinned'; modelId: string; provider: string; raw: string };

export type ParsedTarget = { raw: string; steps: TargetStep[] };

export class TargetSyntaxError extends Error {
  override name = 'TargetSyntaxError';
}

const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/;

function parseStep(raw: string, whole: string): TargetStep {
  const s = raw.trim();
  if (!s) throw new TargetSyntaxError(`malformed target ${quote(whole)}: empty entry in the chain`);
  if (/\s/.test(s)) throw new TargetSyntaxError(`malformed target ${quote(s)}: spaces are not allowed`);
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    const modelId = s.slice(0, at);
    const provider = s.slice(at + 1);
    if (!modelId || !MODEL.test(modelId)) throw new TargetSyntaxError(`malformed target ${quote(s)}: expected model-id@provider`);
    if (!PROVIDER.test(provider)) throw new TargetSyntaxError(`malformed target ${quote(s)}: ${quote(provider)} is not a provider id`);
    return { kind: 'pinned', modelId, provider, raw: s };
  }
  const colon = s.indexOf(':');
  const head = colon >= 0 ? s.slice(0, colon) : '';
  // `lab/model:free` is a model id with a variant, not a provider: provider ids carry no "/".
  if (colon > 0 && !head.includes('/')) {
    const upstreamModel = s.slice(colon + 1);
    if (!PROVIDER.test(head)) throw new TargetSyntaxError(`malformed target ${quote(s)}: ${quote(head)} is not a provider id`);
    if (!upstreamModel) throw new TargetSyntaxError(`malformed target ${quote(s)}: missing model after ${quote(`${head}:`)}`);
    return { kind: 'direct', provider: head, upstreamModel, raw: s };
  }
  if (!MODEL.test(s)) throw new TargetSyntaxError(`malformed target ${quote(s)}: not a model id, provider:model or model@provider`);
  return { kind: 'model', modelId: s, raw: s };
}

/** @example parseTarget('openai:gpt-4o-mini,anthropic/claude-3-5-haiku@openrouter') */
export function parseTarget(raw: string): ParsedTarget {
  if (typeof raw !== 'string' || !raw.trim()) throw new TargetSyntaxError('malformed target "": empty');
  return { raw: raw.trim(), steps: raw.split(',').map((p) => parseStep(p, raw)) };
}
