/**
 * The window and the CLI set the same request: each row is one set of routing
 * choices, made once as `switchyard compare` flags (parsed by commander with the
 * CLI's own option definitions) and once in the window's draft. Both requests,
 * normalised by the contract's schema, must be equal.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CompareRequest, Timeouts } from '../../shared/domain';
import { addColumnParamOption, addRoutingOptions, buildRequest, type CompareFlags } from '../../electron/cli/commands/compare';
import { collect } from '../../electron/cli/parse';
import { draftToRequest, emptyDraft, requestToDraft, type Draft } from '../../renderer/store/draft';
import { emptyRoutingDraft, type RoutingDraft } from '../../renderer/store/routingDraft';

/**
 * The schema, then the timeouts the engine reads: zod fills a given `timeouts: {}`
 * (the CLI's) with the defaults but leaves an absent one (the window's) as `{}`.
 */
function normal(input: unknown) {
  const r = CompareRequest.parse(input);
  return { ...r, timeouts: Timeouts.parse(r.timeouts) };
}

function fromCli(argv: string[]) {
  const cmd = addColumnParamOption(addRoutingOptions(new Command().exitOverride().option('-m, --model <target>', 'target', collect))).argument('<prompt>');
  cmd.parse(['node', 'switchyard', 'hello', '-m', 'openai:gpt-4o-mini', '-m', 'lab/model', ...argv]);
  return normal(buildRequest('hello', cmd.opts<CompareFlags>()));
}

function fromWindow(routing: Partial<RoutingDraft>, more: Partial<Draft> = {}) {
  const r = draftToRequest({ ...emptyDraft, prompt: 'hello', targets: ['openai:gpt-4o-mini', 'lab/model'], routing: { ...emptyRoutingDraft, ...routing }, ...more });
  if (!r.ok) throw new Error(r.error);
  return normal(r.request);
}

const TABLE: Array<[string, string[], Partial<RoutingDraft>, Partial<Draft>?]> = [
  ['nothing set', [], {}],
  ['a strategy', ['--route', 'price'], { strategy: 'price' }],
  ['an order alone implies the order strategy', ['--order', 'groq,openai'], { order: 'groq, openai' }],
  ['an order with another strategy keeps that strategy', ['--order', 'groq', '--route', 'latency'], { order: 'groq', strategy: 'latency' }],
  ['only and ignore', ['--only', 'openai,groq', '--ignore', 'together'], { only: ' openai ,groq', ignore: 'together' }],
  ['zero data retention', ['--zdr'], { zdr: true }],
  ['no training', ['--no-training'], { noTraining: true }],
  ['jurisdictions, upper-cased', ['--jurisdiction', 'eu,US'], { jurisdictions: 'eu, US' }],
  ['a max price', ['--max-price', '1.5,4'], { maxPriceIn: '1.5', maxPriceOut: '4' }],
  ['no fallback', ['--no-fallback'], { noFallback: true }],
  ['continue elsewhere', ['--continue-elsewhere'], { continueElsewhere: true }],
  ['the first-token timeout', ['--first-token-timeout', '2500'], {}, { firstTokenTimeout: '2500' }],
  ['the idle timeout (ms on the command line, seconds in the window)', ['--idle-timeout', '1500'], {}, { idleTimeout: '1.5' }],
  [
    'everything at once',
    ['--route', 'throughput', '--order', 'b,a', '--only', 'a,b', '--ignore', 'c', '--zdr', '--no-training', '--jurisdiction', 'EU', '--max-price', '0,10', '--no-fallback', '--continue-elsewhere'],
    { strategy: 'throughput', order: 'b,a', only: 'a,b', ignore: 'c', zdr: true, noTraining: true, jurisdictions: 'EU', maxPriceIn: '0', maxPriceOut: '10', noFallback: true, continueElsewhere: true },
  ],
];

describe('routing: CLI flags and the window build one request', () => {
  it.each(TABLE)('%s', (_name, argv, routing, more) => {
    const cli = fromCli(argv);
    const win = fromWindow(routing, more);
    expect(win).toEqual(cli);
    // And it is not the default request by accident (every row but the first sets something).
    if (argv.length) expect(cli).not.toEqual(fromCli([]));
  });

  it.each(TABLE)('%s: survives a reload into the window (rerun from history)', (_name, argv) => {
    const cli = fromCli(argv);
    const again = draftToRequest(requestToDraft(cli));
    if (!again.ok) throw new Error(again.error);
    expect(normal(again.request)).toEqual(cli);
  });
});

/** Per column: `--column-route N:…` and `--param N:…` against the chip menu and the column's parameter fields. */
const COLUMN_TABLE: Array<[string, string[], Partial<Draft>]> = [
  ['a strategy for column 2', ['--column-route', '2:strategy=price'], { columnRouting: { 'lab/model': { strategy: 'price' } } }],
  ['only and ignore for column 1', ['--column-route', '1:only=openai,groq', '--column-route', '1:ignore=together'], { columnRouting: { 'openai:gpt-4o-mini': { only: ['openai', 'groq'], ignore: ['together'] } } }],
  ['zdr and no fallback for column 2', ['--column-route', '2:zdr', '--column-route', '2:no-fallback'], { columnRouting: { 'lab/model': { zdr: true, noFallback: true } } }],
  ['each column its own', ['--column-route', '1:strategy=latency', '--column-route', '2:zdr=true'], { columnRouting: { 'openai:gpt-4o-mini': { strategy: 'latency' }, 'lab/model': { zdr: true } } }],
  [
    'parameters for column 2',
    ['--param', '2:temperature=0.3', '--param', '2:max-tokens=99', '--param', '2:reasoning-effort=low', '--param', '2:thinking-budget=2048'],
    { targetParams: { 'lab/model': { temperature: '0.3', maxTokens: '99', reasoningEffort: 'low', thinkingBudget: '2048' } } },
  ],
  [
    'parameters and routing for both',
    ['--param', '1:temperature=0', '--param', '2:max-tokens=5', '--column-route', '2:only=a'],
    { targetParams: { 'openai:gpt-4o-mini': { temperature: '0', maxTokens: '', reasoningEffort: '', thinkingBudget: '' }, 'lab/model': { temperature: '', maxTokens: '5', reasoningEffort: '', thinkingBudget: '' } }, columnRouting: { 'lab/model': { only: ['a'] } } },
  ],
];

describe('per column: CLI flags and the window build one request', () => {
  it.each(COLUMN_TABLE)('%s', (_name, argv, more) => {
    const cli = fromCli(argv);
    expect(fromWindow({}, more)).toEqual(cli);
    expect(cli).not.toEqual(fromCli([]));
    const again = draftToRequest(requestToDraft(cli));
    if (!again.ok) throw new Error(again.error);
    expect(normal(again.request)).toEqual(cli);
  });

  it('the CLI keys the window has no control for reach the request the same way (order, jurisdictions, max price, no training, first-token timeout, top-p, seed)', () => {
    const cli = fromCli(['--column-route', '2:order=b,a', '--column-route', '2:jurisdiction=eu', '--column-route', '2:max-price=1,2', '--column-route', '2:no-training', '--column-route', '2:first-token-timeout=1500', '--param', '1:top-p=0.5', '--param', '1:seed=7']);
    expect(cli.columnRouting).toEqual([null, { order: ['b', 'a'], jurisdictions: ['EU'], maxPrice: { inputPerM: 1, outputPerM: 2 }, noTraining: true, firstTokenMs: 1500 }]);
    expect(cli.targetParams).toEqual([{ topP: 0.5, seed: 7 }, null]);
  });

  it.each([
    [['--param', '2:temperature=3'], /2:temperature must be a number between 0 and 2/],
    [['--param', '2:warmth=1'], /unknown key "warmth": one of temperature, max-tokens/],
    [['--param', 'temperature=1'], /expected N:key=value/],
    [['--param', '0:seed=1'], /N is the column, 1 to 64/],
    [['--column-route', '1:strategy=fastest'], /expected one of order, price/],
    [['--column-route', '1:max-price=1'], /expected IN,OUT/],
    [['--column-route', '1:zdr=maybe'], /1:zdr takes no value/],
    [['--column-route', '1:first-token-timeout=0'], /1:first-token-timeout must be an integer between 1 and 3600000/],
    [['--column-route', '1:only'], /1:only needs a value/],
  ])('refuses %j in one line naming the flag and the bad part', (argv, message) => {
    let err: unknown;
    try {
      fromCli(argv);
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).toMatch(message);
    expect(String((err as Error).message)).toContain(argv[0]!);
  });

  it('refuses a column past the last -m target', () => {
    expect(() => fromCli(['--param', '3:seed=1'])).toThrow(/^--param 3:seed=1: there are 2 -m targets, so no column 3$/);
  });
});
