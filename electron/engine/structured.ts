/**
 * Structured answers: the response format's schema compiled once per run (ajv),
 * and each column's answer checked against it. ajv compiles schemas to code,
 * which the renderer's CSP forbids; this runs in the engine only.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ResponseFormat, StructuredCheck } from '../../shared/tools';
import { UserError } from './errors';

export type StructuredChecker = (answer: string) => StructuredCheck;

const MAX_ERRORS = 5;
/** The run's columns (and each follow-up's) share one compiled schema. */
const compiled = new Map<string, ValidateFunction>();
const CACHE_SIZE = 16;

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? 'the answer' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
  return `${at} ${e.message ?? 'is invalid'}${extra}`;
}

function notJson(answer: string, err: unknown): string {
  const text = answer.trim();
  if (text === '') return 'the answer is empty, not JSON';
  if (/^```/.test(text)) return 'the answer is not JSON: it is wrapped in a markdown code fence';
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `the answer is not JSON: ${why}`;
}

/**
 * The checker for a request's response format, or null without one. A schema
 * ajv cannot compile is the request's error, said before anything is sent.
 * @example compileStructured({ type: 'json_schema', name: 'a', schema: { type: 'object', required: ['x'] } })!('{}') // { valid: false, errors: ["the answer must have required property 'x'"] }
 */
export function compileStructured(format: ResponseFormat | undefined): StructuredChecker | null {
  if (!format) return null;
  let validate: ValidateFunction | null = null;
  if (format.type === 'json_schema') {
    // strict: false: providers accept keywords ajv's strict mode objects to (e.g. OpenAI's own extensions).
    const key = JSON.stringify(format.schema);
    validate = compiled.get(key) ?? null;
    if (validate === null) {
      const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
      try {
        validate = ajv.compile(format.schema);
      } catch (err) {
        throw new UserError(`responseFormat.schema is not a valid JSON Schema: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, validate);
    }
  }
  return (answer) => {
    let value: unknown;
    try {
      value = JSON.parse(answer);
    } catch (err) {
      return { valid: false, errors: [notJson(answer, err)] };
    }
    if (validate === null) {
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? { valid: true } : { valid: false, errors: ['the answer is JSON but not an object'] };
    }
    if (validate(value)) return { valid: true };
    const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map(describe);
    const more = (validate.errors?.length ?? 0) - errors.length;
    return { valid: false, errors: more > 0 ? [...errors, `and ${more} more`] : errors };
  };
}
