/**
 * The window's routing controls as typed, and their conversion to the
 * request's `routing`: the same fields, with the same defaults, as the CLI's
 * routing flags (electron/cli/commands/compare.ts `buildRequest`), so a run
 * set up in the window and one set up on the command line are one request.
 */
import { ProviderId, RouteStrategy, type RoutingOptionsInput } from '../../shared/domain';

export interface RoutingDraft {
  /** '' is the CLI without `--route`: `order` when an order is given, else balanced. */
  strategy: '' | RouteStrategy;
  /** Comma-separated provider ids, as `--order a,b`. */
  order: string;
  only: string;
  ignore: string;
  zdr: boolean;
  noTraining: boolean;
  /** Comma-separated codes, as `--jurisdiction EU,US`. */
  jurisdictions: string;
  /** USD per million tokens; both or neither, as `--max-price IN,OUT`. */
  maxPriceIn: string;
  maxPriceOut: string;
  noFallback: boolean;
  continueElsewhere: boolean;
}

export const emptyRoutingDraft: RoutingDraft = {
  strategy: '',
  order: '',
  only: '',
  ignore: '',
  zdr: false,
  noTraining: false,
  jurisdictions: '',
  maxPriceIn: '',
  maxPriceOut: '',
  noFallback: false,
  continueElsewhere: false,
};

export type RoutingField = 'order' | 'only' | 'ignore' | 'jurisdictions' | 'maxPriceIn' | 'maxPriceOut';

const DECIMAL = /^(\d+(\.\d+)?|\.\d+)$/;
const MAX_PRICE = 1_000_000;

/** Split as the CLI's `list` does: commas, trimmed, blanks dropped. */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function providerList(raw: string, name: string): string[] | string {
  const ids = splitList(raw);
  const bad = ids.find((id) => !ProviderId.safeParse(id).success);
  return bad === undefined ? ids : `${name}: "${bad.length > 40 ? `${bad.slice(0, 40)}…` : bad}" is not a provider id (lowercase letters, digits, ".", "_", "-")`;
}

function price(raw: string, name: string): number | null | string {
  const s = raw.trim();
  if (!s) return null;
  const n = Number(s);
  if (!DECIMAL.test(s) || !Number.isFinite(n) || n > MAX_PRICE) return `${name} must be a number of USD per million tokens from 0 to ${MAX_PRICE}`;
  return n;
}

export type RoutingConverted = { routing: RoutingOptionsInput; errors: Partial<Record<RoutingField, string>> };

/**
 * Every bad field at once, each with its own sentence; `routing` is only meaningful when `errors` is empty.
 * @example routingFromDraft({ ...emptyRoutingDraft, order: 'groq, openai' }).routing.strategy // 'order'
 */
export function routingFromDraft(d: RoutingDraft): RoutingConverted {
  const errors: Partial<Record<RoutingField, string>> = {};
  const lists = { order: providerList(d.order, 'order'), only: providerList(d.only, 'only'), ignore: providerList(d.ignore, 'ignore') };
  for (const [k, v] of Object.entries(lists) as Array<[RoutingField, string[] | string]>) if (typeof v === 'string') errors[k] = v;
  const jurisdictions = splitList(d.jurisdictions).map((j) => j.toUpperCase());
  const badCode = jurisdictions.find((j) => !/^[A-Z]{2,8}$/.test(j));
  if (badCode !== undefined) errors.jurisdictions = `jurisdictions: "${badCode.slice(0, 20)}" is not a country or bloc code (e.g. EU, US)`;
  const inP = price(d.maxPriceIn, 'max input price');
  const outP = price(d.maxPriceOut, 'max output price');
  if (typeof inP === 'string') errors.maxPriceIn = inP;
  if (typeof outP === 'string') errors.maxPriceOut = outP;
  if (inP === null && typeof outP === 'number') errors.maxPriceIn = 'set the max input price too (both or neither, as --max-price IN,OUT)';
  if (outP === null && typeof inP === 'number') errors.maxPriceOut = 'set the max output price too (both or neither, as --max-price IN,OUT)';
  const order = Array.isArray(lists.order) ? lists.order : [];
  const routing: RoutingOptionsInput = {
    strategy: d.strategy || (order.length ? 'order' : 'balanced'),
    order,
    only: Array.isArray(lists.only) ? lists.only : [],
    ignore: Array.isArray(lists.ignore) ? lists.ignore : [],
    zdr: d.zdr,
    noTraining: d.noTraining,
    jurisdictions,
    maxPrice: typeof inP === 'number' && typeof outP === 'number' ? { inputPerM: inP, outputPerM: outP } : null,
    noFallback: d.noFallback,
    continueElsewhere: d.continueElsewhere,
  };
  return { routing, errors };
}

/** Loads a past request's routing back into the controls (rerun from history). */
export function routingToDraft(r: RoutingOptionsInput | undefined): RoutingDraft {
  if (!r) return emptyRoutingDraft;
  const order = r.order ?? [];
  // The strategy the CLI would infer is left blank, so editing the order keeps inferring it.
  const inferred = order.length ? 'order' : 'balanced';
  return {
    strategy: r.strategy && r.strategy !== inferred ? r.strategy : '',
    order: order.join(', '),
    only: (r.only ?? []).join(', '),
    ignore: (r.ignore ?? []).join(', '),
    zdr: Boolean(r.zdr),
    noTraining: Boolean(r.noTraining),
    jurisdictions: (r.jurisdictions ?? []).join(', '),
    maxPriceIn: r.maxPrice ? String(r.maxPrice.inputPerM) : '',
    maxPriceOut: r.maxPrice ? String(r.maxPrice.outputPerM) : '',
    noFallback: Boolean(r.noFallback),
    continueElsewhere: Boolean(r.continueElsewhere),
  };
}
