/** Option value parsers: an invalid value is a one-line usage error naming the flag. */
import { InvalidArgumentError } from 'commander';
import { RouteStrategy } from '../../shared/domain';

/** Plain decimal notation only: `0x10`, `1e3`, `Infinity`, `+5` and `' 7'` are refused, not read as numbers. */
const DECIMAL = /^-?(\d+(\.\d+)?|\.\d+)$/;
const INTEGER = /^-?\d+$/;

/** A number flag within [min, max]; an invalid value is one line naming the flag (commander quotes what was given). */
export function num(name: string, min: number, max: number, integer = false) {
  return (v: string): number => {
    const n = Number(v);
    const ok = (integer ? INTEGER : DECIMAL).test(v) && Number.isFinite(n) && n >= min && n <= max;
    if (!ok) throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} in plain decimal digits`);
    return n;
  };
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function list(v: string): string[] {
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

export function strategy(v: string): RouteStrategy {
  const r = RouteStrategy.safeParse(v);
  if (!r.success) throw new InvalidArgumentError(`expected one of ${RouteStrategy.options.join(', ')}`);
  return r.data;
}

const EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** `--reasoning-effort`: OpenAI's levels. */
export function effort(v: string): (typeof EFFORTS)[number] {
  const level = EFFORTS.find((e) => e === v);
  if (!level) throw new InvalidArgumentError(`expected one of ${EFFORTS.join(', ')}`);
  return level;
}

/** `--max-price IN,OUT` in USD per million tokens. */
export function maxPrice(v: string): { inputPerM: number; outputPerM: number } {
  const raw = v.split(',').map((s) => s.trim());
  const parts = raw.map(Number);
  if (parts.length !== 2 || raw.some((s) => !DECIMAL.test(s)) || parts.some((n) => !Number.isFinite(n) || n < 0 || n > 1_000_000)) throw new InvalidArgumentError('expected IN,OUT in USD per million tokens, e.g. 1,4');
  return { inputPerM: parts[0]!, outputPerM: parts[1]! };
}
