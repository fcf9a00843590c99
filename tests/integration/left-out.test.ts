/**
 * A request naming targets the engine cannot serve runs the ones it can and
 * says which were left out and why: through the engine (as the window's Send,
 * a rerun and the host's compare:start reach it) and the pre-flight, with a
 * real SQLite file and the mock providers on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateRun } from '../../electron/engine/estimate';
import type { MockProviders } from '../mocks/provider-server';
import { addProvider, ask, closeWorkbenches, col, openWorkbench, requestsFor, shareMockProviders } from './helpers';

let mock: MockProviders;

shareMockProviders((m) => (mock = m));
beforeEach(() => mock.reset());
afterEach(closeWorkbenches);

async function bench() {
  const wb = openWorkbench();
  await addProvider(wb, { id: 'oa', baseUrl: mock.baseUrls.openai });
  await addProvider(wb, { id: 'keyed', baseUrl: mock.baseUrls.openai, keyEnv: ['LEFT_OUT_MISSING_KEY'] });
  mock.script('m-one', { tokens: 2 });
  mock.script('m-two', { tokens: 2 });
  return wb;
}

const TARGETS = ['oa:m-one', 'nope:m', 'keyed:m', 'no-lab/no-model', 'oa:m-two'];

describe('targets that cannot be served are left out; the rest run', () => {
  it('runs the servable columns, each with its own parameters and routing, and names the others with their reasons', async () => {
    const wb = await bench();
    // Own parameters by the request's positions: the fifth target's reach the column it becomes.
    const req = ask(TARGETS, { targetParams: [{ temperature: 0.1 }, { temperature: 0.2 }, null, null, { temperature: 0.5, maxTokens: 77 }], columnRouting: [null, { zdr: true }, null, null, { noFallback: true }] });
    const started = wb.engine.start(req);
    expect(started.columns.map((c) => [c.index, c.target])).toEqual([[0, 'oa:m-one'], [1, 'oa:m-two']]);
    expect(started.leftOut).toEqual([
      { target: 'nope:m', reason: expect.stringMatching(/^unknown provider "nope" in target "nope:m"/) },
      { target: 'keyed:m', reason: expect.stringMatching(/environment variable LEFT_OUT_MISSING_KEY is not set/) },
      { target: 'no-lab/no-model', reason: expect.stringMatching(/^unknown model "no-lab\/no-model"/) },
    ]);
    const result = await started.done;
    expect(result.columns.map((c) => c.status)).toEqual(['ok', 'ok']);
    const [one] = requestsFor(mock, 'm-one');
    const [two] = requestsFor(mock, 'm-two');
    expect(one!.body).toMatchObject({ temperature: 0.1 });
    expect(two!.body).toMatchObject({ temperature: 0.5, max_tokens: 77 });
    // What history keeps is the run that happened: the two targets, each still with its own settings.
    const stored = wb.ctx.store.runs.getRun(result.runId)!.request!;
    expect(stored.targets).toEqual(['oa:m-one', 'oa:m-two']);
    expect(stored.targetParams).toEqual([{ temperature: 0.1 }, { temperature: 0.5, maxTokens: 77 }]);
    expect(stored.columnRouting).toEqual([null, { noFallback: true }]);
    // A retry of the second column keeps its own parameters.
    await wb.engine.retryColumn(result.runId, col(result, 1).columnId);
    expect(requestsFor(mock, 'm-two')[1]!.body).toMatchObject({ temperature: 0.5, max_tokens: 77 });
  });

  it('the pre-flight lists the same left-out targets, and plans only the others', async () => {
    const wb = await bench();
    const est = await estimateRun(wb.ctx, ask(TARGETS));
    expect(est.columns.map((c) => c.target)).toEqual(['oa:m-one', 'oa:m-two']);
    expect(est.leftOut?.map((l) => l.target)).toEqual(['nope:m', 'keyed:m', 'no-lab/no-model']);
    expect(est.columns.every((c) => c.plan?.primary)).toBe(true);
    // Nothing left out: no leftOut at all (the shape of a plain estimate does not change).
    expect(await estimateRun(wb.ctx, ask(['oa:m-one']))).not.toHaveProperty('leftOut');
  });

  it('when no target can be served, the first one\'s reason is the one-line error and nothing is sent', async () => {
    const wb = await bench();
    expect(() => wb.engine.start(ask(['keyed:m', 'nope:m']))).toThrow(/^missing key for target "keyed:m"/);
    expect(() => wb.engine.start(ask(['nope:m', 'keyed:m']))).toThrow(/^unknown provider "nope"/);
    await expect(estimateRun(wb.ctx, ask(['nope:m']))).rejects.toThrow(/^unknown provider "nope"/);
    expect(mock.requests).toEqual([]);
    expect(wb.ctx.store.runs.listRuns({ limit: 10 })).toHaveLength(0);
  });
});
