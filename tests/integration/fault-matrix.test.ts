/**
 * Issue 4's fault-injection suite: every fault of the mock providers against
 * every routing strategy, with a faulty endpoint that each strategy picks first
 * (it is the cheapest, and there is no health history yet) and a healthy one
 * serving the same model on another protocol. Each case either succeeds through
 * failover or ends with a clear error / `incomplete` and its partial text, and in
 * every case: each request the mock received is one attempt in SQLite and in the
 * result (none left running), no text is lost, nothing is counted twice.
 *
 * One data directory and one mock serve all cases; each case has its own model
 * and endpoints, so health, breakers and the mock's per-model counters never mix.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ErrorKind, ProviderType, RouteStrategy, RoutingOptionsInput } from '../../shared/domain';
import { startMockProviders, type MockProviders, type MockScript } from '../mocks/provider-server';
import { PROMPT_WORDS, PROTOCOLS, addProvider, ask, closeWorkbenches, ledgerRows, openWorkbench, priceEndpoint, requestsFor, type Workbench } from './helpers';

const STRATEGIES: RouteStrategy[] = ['order', 'price', 'latency', 'throughput', 'balanced'];
const MODES = [
  { name: 'default routing', continueElsewhere: false },
  { name: 'continue elsewhere', continueElsewhere: true },
] as const;

/** Small, so the whole matrix runs in seconds; the healthy endpoint answers in a few ms. */
const TIMEOUTS = { connectMs: 800, firstTokenMs: 800, idleMs: 400, totalMs: 10_000 };
const BAD_TEXT = 'bad1 bad2 bad3 bad4 bad5';
const GOOD_TEXT = 'the healthy endpoint answers in full';
const GOOD_WORDS = GOOD_TEXT.split(' ').length;
/** The faulty endpoint is the cheaper one, so price-led strategies rank it first too. */
const BAD_PRICE = { inputPerM: 1, outputPerM: 2 };
const GOOD_PRICE = { inputPerM: 2, outputPerM: 4 };

interface Fault {
  name: string;
  script: MockScript;
  /** Fails before any text (the router can move on) or after some text reached the user. */
  when: 'before-text' | 'mid-stream';
  kind: ErrorKind;
  httpStatus: number | null;
  message: RegExp;
  /** The engine, not the server, ended the request (a timeout aborted it). */
  clientAborts?: boolean;
}

const FAULTS: Fault[] = [
  { name: '429 with Retry-After', script: { fault: 'rate_limit', retryAfterSec: 1 }, when: 'before-text', kind: 'rate_limit', httpStatus: 429, message: /^429 from bad-\w+: Rate limit reached/ },
  { name: '429 without Retry-After', script: { fault: 'rate_limit' }, when: 'before-text', kind: 'rate_limit', httpStatus: 429, message: /^429 from bad-\w+: Rate limit reached/ },
  { name: '500', script: { fault: 'server_500' }, when: 'before-text', kind: 'server', httpStatus: 500, message: /^500 from bad-\w+: / },
  { name: '502', script: { fault: 'server_502' }, when: 'before-text', kind: 'server', httpStatus: 502, message: /^502 from bad-\w+: / },
  { name: '503', script: { fault: 'server_503' }, when: 'before-text', kind: 'server', httpStatus: 503, message: /^503 from bad-\w+: / },
  { name: 'hang before headers', script: { fault: 'hang_before_headers' }, when: 'before-text', kind: 'timeout_connect', httpStatus: null, message: /^no response from 127\.0\.0\.1:\d+ within 800 ms$/, clientAborts: true },
  { name: 'slow first token', script: { firstTokenDelayMs: 3_000 }, when: 'before-text', kind: 'timeout_first_token', httpStatus: 200, message: /^no first token from 127\.0\.0\.1:\d+ within 800 ms$/, clientAborts: true },
  { name: 'stall mid-stream', script: { fault: 'stall_mid_stream' }, when: 'mid-stream', kind: 'timeout_idle', httpStatus: 200, message: /stalled for 400 ms/, clientAborts: true },
  { name: 'drop mid-stream', script: { fault: 'drop_mid_stream' }, when: 'mid-stream', kind: 'network', httpStatus: 200, message: /lost mid-stream/ },
  { name: 'missing terminal event', script: { fault: 'missing_terminal' }, when: 'mid-stream', kind: 'truncated', httpStatus: 200, message: /ended without its terminal event/ },
  { name: 'error event after 200', script: { fault: 'error_event' }, when: 'mid-stream', kind: 'stream_error', httpStatus: 200, message: /Overloaded: the model stopped mid-stream/ },
  { name: 'malformed event', script: { fault: 'malformed_event' }, when: 'mid-stream', kind: 'malformed', httpStatus: 200, message: /malformed event from bad-\w+: / },
];

interface Case {
  fault: Fault;
  strategy: RouteStrategy;
  continueElsewhere: boolean;
  modelId: string;
  bad: { provider: string; model: string };
  good: { provider: string; model: string };
}

/** The faulty and the healthy endpoint speak different protocols, rotating over the faults. */
function protocolsOf(faultIndex: number): { bad: ProviderType; good: ProviderType } {
  return { bad: PROTOCOLS[faultIndex % 3]!, good: PROTOCOLS[(faultIndex + 1) % 3]! };
}

const CASES: Case[] = STRATEGIES.flatMap((strategy) =>
  MODES.flatMap((mode) =>
    FAULTS.map((fault, fi) => {
      const slug = `${fault.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${strategy}-${mode.continueElsewhere ? 'ce' : 'df'}`;
      const p = protocolsOf(fi);
      return {
        fault, strategy, continueElsewhere: mode.continueElsewhere,
        modelId: `matrix/${slug}`,
        bad: { provider: `bad-${p.bad}`, model: `${slug}-bad` },
        good: { provider: `good-${p.good}`, model: `${slug}-good` },
      };
    }),
  ),
);

let mock: MockProviders;
let wb: Workbench;

beforeAll(async () => {
  mock = await startMockProviders();
  // random() = 0: balanced draws the first healthy endpoint in candidate order, which is the faulty one.
  wb = openWorkbench({ random: () => 0 });
  for (const type of PROTOCOLS) {
    for (const side of ['bad', 'good'] as const) {
      const provider = `${side}-${type}`;
      const mine = CASES.filter((c) => c[side].provider === provider);
      // catalogProvider names the provider itself, so its price overrides (custom endpoints) apply to it.
      await addProvider(wb, { id: provider, type, baseUrl: mock.baseUrls[type], catalogProvider: provider, serves: Object.fromEntries(mine.map((c) => [c.modelId, c[side].model])) });
      for (const c of mine) priceEndpoint(wb, provider, c[side].model, c.modelId, side === 'bad' ? BAD_PRICE : GOOD_PRICE);
    }
  }
  for (const c of CASES) {
    mock.script(c.bad.model, { text: BAD_TEXT, faultAfterTokens: 2, ...c.fault.script });
    mock.script(c.good.model, { text: GOOD_TEXT });
  }
  // Warm-up, outside the cases: the first cut-short stream in a process loads the tokenizer for its
  // estimate synchronously (about half a second), which would stall the watchdogs of concurrent cases.
  mock.script('warm-up', { tokens: 2, fault: 'missing_terminal', faultAfterTokens: 1 });
  const warm = await wb.engine.compare(ask(PROTOCOLS.map((t) => `bad-${t}:warm-up`), { routing: { noFallback: true } }));
  if (warm.columns.some((c) => c.status !== 'incomplete')) throw new Error('warm-up run did not behave');
});

afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});

function routingOf(c: Case): RoutingOptionsInput {
  return { strategy: c.strategy, order: c.strategy === 'order' ? [c.bad.provider, c.good.provider] : [], continueElsewhere: c.continueElsewhere };
}

describe.concurrent.each(STRATEGIES)('fault matrix, strategy %s', (strategy) => {
  describe.concurrent.each(MODES)('$name', (mode) => {
    const cases = CASES.filter((c) => c.strategy === strategy && c.continueElsewhere === mode.continueElsewhere);
    const expectation = (c: Case) => (c.fault.when === 'before-text' || c.continueElsewhere ? 'ok through failover' : 'incomplete with its partial text');

    it.concurrent.for(cases.map((c) => [`${c.fault.name} -> ${expectation(c)}`, c] as const))('%s', async ([, c], { expect }) => {
      const result = await wb.engine.compare(ask([c.modelId], { routing: routingOf(c), timeouts: TIMEOUTS }));
      expect(result.columns).toHaveLength(1);
      const column = result.columns[0]!;
      const requests = requestsFor(mock, c.bad.model, c.good.model);
      await Promise.all(requests.map((r) => mock.ended(r)));

      // Every request is one recorded attempt, in order; SQLite holds exactly what was returned.
      const saved = wb.ctx.store.runs.getRun(result.runId)!;
      expect(saved.columns).toEqual(result.columns);
      expect(column.attempts.map((a) => [a.provider, a.model])).toEqual(
        requests.map((r) => [r.model === c.bad.model ? c.bad.provider : c.good.provider, r.model]),
      );
      for (const a of saved.columns[0]!.attempts) expect(['running', 'skipped']).not.toContain(a.status);

      // Each strategy picked the faulty endpoint first, and its failure is recorded with a clear reason.
      const first = column.attempts[0]!;
      expect(first).toMatchObject({ provider: c.bad.provider, model: c.bad.model, errorKind: c.fault.kind, httpStatus: c.fault.httpStatus });
      expect(['error', 'incomplete']).toContain(first.status);
      expect(first.error).toMatch(c.fault.message);
      if (c.fault.clientAborts) expect(requests[0]!.endedBy).toBe('client');

      const ledger = ledgerRows(wb, column.columnId);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({ provider: column.servedBy!.provider, cost_usd: column.costUsd, output_tokens: column.usage.outputTokens });

      if (c.fault.when === 'before-text' || c.continueElsewhere) {
        expect(column).toMatchObject({ status: 'ok', error: null, fellBack: true, servedBy: c.good, text: GOOD_TEXT });
        expect(column.attempts.map((a) => a.status)).toEqual([first.status, 'ok']);
        // Only the serving attempt counts: the failed one's partial text and tokens are not added.
        expect(column.usage).toMatchObject({ inputTokens: PROMPT_WORDS, outputTokens: GOOD_WORDS, estimated: false });
        expect(column.costUsd).toBeCloseTo((PROMPT_WORDS * GOOD_PRICE.inputPerM + GOOD_WORDS * GOOD_PRICE.outputPerM) / 1e6, 12);
      } else {
        expect(column).toMatchObject({ status: 'incomplete', fellBack: false, servedBy: c.bad, text: 'bad1 bad2' });
        expect(column.error).toMatch(/^interrupted after \d+ tokens: /);
        expect(column.error).toMatch(c.fault.message);
        // Mid-stream without "continue elsewhere": never restarted, so the healthy endpoint got nothing.
        expect(column.attempts).toHaveLength(1);
        expect(column.usage.estimated).toBe(true);
        expect(column.usage.outputTokens!).toBeGreaterThanOrEqual(2);
        expect(column.costUsd).toBeGreaterThan(0);
      }
    });
  });
});
