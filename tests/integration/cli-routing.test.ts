/**
 * The plan and the first-token timeout through the real `switchyard` process:
 * `compare --dry-run --json` names each column's planned endpoint and
 * fallbacks, and `compare --first-token-timeout 1500` against an upstream that
 * never sends headers fails over to the next planned endpoint within 2 s.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { CliSandbox, cleanupCli, parseJsonOutput, runJsonOf } from './cli-helpers';

let mock: MockProviders;

beforeAll(async () => {
  mock = await startMockProviders({ scripts: { 'hang-model': { fault: 'hang_before_headers' }, 'ok-model': { text: 'the second endpoint answers' } } });
});
afterAll(() => mock.close());
afterEach(cleanupCli);

interface PlanJson { id: string; primary: { provider: string; model: string; upstream: string } | null; fallbacks: Array<{ provider: string; model: string; upstream: string }> }

describe('switchyard compare: the plan and the first-token timeout', { timeout: 180_000 }, () => {
  it('--dry-run --json names the plan; the run follows it and --first-token-timeout 1500 bounds a hang before headers', async () => {
    const sb = new CliSandbox();
    const added = await Promise.all([
      sb.run(['providers', 'add', 'slow', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--serve', 'acme/hangs=hang-model']),
      sb.run(['providers', 'add', 'ok', '--type', 'openai', '--base-url', mock.baseUrls.openai, '--serve', 'acme/hangs=ok-model']),
    ]);
    for (const r of added) expect(r.code, r.stderr).toBe(0);
    const flags = ['-m', 'acme/hangs', '--route', 'order', '--order', 'slow,ok'];

    const dry = await sb.run(['compare', 'Where does this go?', ...flags, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = parseJsonOutput<{ columns: Array<{ endpointId: string; plan: PlanJson }> }>(dry).columns[0]!;
    expect(plan).toMatchObject({
      endpointId: 'slow:hang-model',
      plan: { primary: { provider: 'slow', model: 'acme/hangs', upstream: 'hang-model' }, fallbacks: [{ provider: 'ok', model: 'acme/hangs', upstream: 'ok-model' }] },
    });
    expect(mock.requests).toHaveLength(0);

    const run = await sb.run(['compare', 'Where does this go?', ...flags, '--first-token-timeout', '1500', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const c = runJsonOf(run).columns[0]!;
    expect(c).toMatchObject({ status: 'ok', fellBack: true, servedBy: { provider: 'ok', model: 'ok-model' }, text: 'the second endpoint answers' });
    // errorKind and plan are extra fields: read them from the raw output, not the stable contract's schema.
    const raw = (JSON.parse(run.stdout) as { columns: Array<{ plan: PlanJson; attempts: Array<{ errorKind: string | null; totalMs: number }> }> }).columns[0]!;
    expect(c.attempts[0]).toMatchObject({ provider: 'slow', status: 'error', httpStatus: null });
    expect(raw.attempts[0]!.errorKind).toBe('timeout_first_token');
    expect(raw.attempts[0]!.totalMs).toBeLessThan(2_000);
    // The run followed the plan the dry run printed.
    expect(raw.plan).toEqual(plan.plan);
  });
});
