/**
 * `--param N:key=value` and `--column-route N:key=value`: one column's own
 * parameters and routing on top of the run's, N being the column's 1-based
 * position among the -m targets (as `compare` numbers them when none is left
 * out). Each value goes through the parser of the run-level flag of the same
 * name, so ranges and wording are shared.
 */
import { InvalidArgumentError } from 'commander';
import { PARAM_LIMITS, type ColumnRouting, type GenerationParams } from '../../../shared/domain';
import { effort, list, maxPrice, num, strategy } from '../parse';
import { CliExit, EXIT_USAGE } from '../errors';

/** One `N:key=value` as given; `flag` is the whole of it, for messages. */
export interface ColumnSetting<T> {
  column: number;
  flag: string;
  set: Partial<T>;
}

const BOOL = (name: string) => (v: string | undefined): boolean => {
  if (v === undefined || v === 'true') return true;
  if (v === 'false') return false;
  throw new InvalidArgumentError(`${name} takes no value (or =true, =false)`);
};

/** A value parser that needs a value. */
function valued<T>(name: string, parse: (v: string) => T): (v: string | undefined) => T {
  return (v) => {
    if (v === undefined || v === '') throw new InvalidArgumentError(`${name} needs a value: ${name}=…`);
    return parse(v);
  };
}

type Keys<T> = Record<string, (v: string | undefined, at: string) => Partial<T>>;

const PARAM_KEYS: Keys<GenerationParams> = {
  temperature: (v, at) => ({ temperature: valued(at, num(at, PARAM_LIMITS.temperature.min, PARAM_LIMITS.temperature.max))(v) }),
  'max-tokens': (v, at) => ({ maxTokens: valued(at, num(at, PARAM_LIMITS.maxTokens.min, PARAM_LIMITS.maxTokens.max, true))(v) }),
  'top-p': (v, at) => ({ topP: valued(at, num(at, PARAM_LIMITS.topP.min, PARAM_LIMITS.topP.max))(v) }),
  seed: (v, at) => ({ seed: valued(at, num(at, PARAM_LIMITS.seed.min, PARAM_LIMITS.seed.max, true))(v) }),
  'reasoning-effort': (v, at) => ({ reasoningEffort: valued(at, effort)(v) }),
  'thinking-budget': (v, at) => ({ thinkingBudget: valued(at, num(at, 0, PARAM_LIMITS.maxTokens.max, true))(v) }),
};

const ROUTE_KEYS: Keys<ColumnRouting> = {
  strategy: (v, at) => ({ strategy: valued(at, strategy)(v) }),
  order: (v, at) => ({ order: valued(at, list)(v) }),
  only: (v, at) => ({ only: valued(at, list)(v) }),
  ignore: (v, at) => ({ ignore: valued(at, list)(v) }),
  zdr: (v, at) => ({ zdr: BOOL(at)(v) }),
  'no-training': (v, at) => ({ noTraining: BOOL(at)(v) }),
  jurisdiction: (v, at) => ({ jurisdictions: valued(at, list)(v).map((j) => j.toUpperCase()) }),
  'max-price': (v, at) => ({ maxPrice: valued(at, maxPrice)(v) }),
  'first-token-timeout': (v, at) => ({ firstTokenMs: valued(at, num(at, 1, 3_600_000, true))(v) }),
  'no-fallback': (v, at) => ({ noFallback: BOOL(at)(v) }),
};

const SHAPE = /^(\d{1,2}):([a-z-]+)(?:=(.*))?$/s;

function columnParser<T>(flag: string, keys: Keys<T>) {
  return (raw: string, prev: Array<ColumnSetting<T>> = []): Array<ColumnSetting<T>> => {
    const m = SHAPE.exec(raw);
    if (!m) throw new InvalidArgumentError(`expected N:key=value, e.g. ${flag === '--param' ? '2:temperature=0' : '2:only=openai,groq'}`);
    const column = Number(m[1]);
    if (column < 1 || column > 64) throw new InvalidArgumentError('N is the column, 1 to 64');
    const key = m[2]!;
    const parse = keys[key];
    if (!parse) throw new InvalidArgumentError(`unknown key ${JSON.stringify(key)}: one of ${Object.keys(keys).join(', ')}`);
    // The number checks name `--param 2:temperature`, as `--temperature` names itself.
    return [...prev, { column, flag: raw, set: parse(m[3], `${column}:${key}`) }];
  };
}

export const columnParam = columnParser<GenerationParams>('--param', PARAM_KEYS);
export const columnRoute = columnParser<ColumnRouting>('--column-route', ROUTE_KEYS);

/**
 * One entry per target (null: nothing of its own), or undefined when no column set anything.
 * @example perColumn('--param', [{ column: 2, flag: '2:seed=1', set: { seed: 1 } }], 2) // [null, { seed: 1 }]
 */
export function perColumn<T extends object>(flag: string, given: Array<ColumnSetting<T>> | undefined, targets: number): Array<T | null> | undefined {
  if (!given?.length) return undefined;
  const out: Array<T | null> = Array.from({ length: targets }, () => null);
  for (const g of given) {
    if (g.column > targets) throw new CliExit(`${flag} ${g.flag}: there ${targets === 1 ? 'is 1 -m target' : `are ${targets} -m targets`}, so no column ${g.column}`, EXIT_USAGE);
    out[g.column - 1] = { ...(out[g.column - 1] ?? {}), ...g.set } as T;
  }
  return out;
}
