/**
 * The window and the CLI set the same request: each row is one set of routing
 * choices, made once as `switchyard compare` flags (parsed by commander with the
 * CLI's own option definitions) and once in the window's draft. Both requests,
 * normalised by the contract's schema, must be equal.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CompareRequest, Timeouts } from '../../shared/domain';
import { addRoutingOptions, buildRequest, type CompareFlags } from '../../electron/cli/commands/compare';
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
  const cmd = addRoutingOptions(new Command().exitOverride().option('-m, --model <target>', 'target', collect)).argument('<prompt>');
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
