import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store';
import { breakerKey, Breakers } from '../../../electron/engine/router/breaker';

type R = { ok: boolean };
const ok = async (): Promise<R> => ({ ok: true });
const bad = async (): Promise<R> => ({ ok: false });
const failed = (r: R) => !r.ok;
const plain = { force: false };
const KEY = breakerKey('groq', 0, 'llama-3.1-8b');

describe('breakerKey', () => {
  it('names provider, key index and upstream model', () => {
    expect(KEY).toBe('groq|0|llama-3.1-8b');
    expect(breakerKey('groq', 1, 'llama-3.1-8b')).not.toBe(KEY);
  });
});

describe('Breakers', () => {
  let store: Store;
  let t: number;
  let breakers: Breakers;
  beforeEach(() => {
    store = openStore(':memory:');
    t = 1_000_000;
    breakers = new Breakers(store.routing, { threshold: 3, halfOpenAfterMs: 30_000 }, () => t);
  });
  afterEach(() => store.close());

  async function failTimes(n: number, b = breakers) {
    for (let i = 0; i < n; i++) await b.run(KEY, bad, failed, plain);
  }

  it('closed → open after threshold consecutive failures, then skips without calling', async () => {
    expect(breakers.state(KEY)).toBe('closed');
    await failTimes(2);
    expect(breakers.state(KEY)).toBe('closed');
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'closed', failures: 2 });
    await failTimes(1);
    expect(breakers.state(KEY)).toBe('open');
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'open', failures: 3, openedAt: t });
    let called = 0;
    const res = await breakers.run(KEY, async () => ({ ok: !!++called }), failed, plain);
    expect(res).toEqual({ skipped: true });
    expect(called).toBe(0);
  });

  it('a success resets the consecutive count', async () => {
    await failTimes(2);
    await breakers.run(KEY, ok, failed, plain);
    await failTimes(2);
    expect(breakers.state(KEY)).toBe('closed');
  });

  it('open → half-open after the cool-down → closed on a successful probe', async () => {
    await failTimes(3);
    t += 29_999;
    expect(breakers.state(KEY)).toBe('open');
    expect(await breakers.run(KEY, ok, failed, plain)).toEqual({ skipped: true });
    t += 1;
    expect(breakers.state(KEY)).toBe('half-open');
    expect(await breakers.run(KEY, ok, failed, plain)).toEqual({ skipped: false, value: { ok: true } });
    expect(breakers.state(KEY)).toBe('closed');
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'closed', failures: 0, openedAt: null, lastError: null });
  });

  it('open → half-open → open again on a failed probe, waiting a fresh cool-down', async () => {
    await failTimes(3);
    t += 30_000;
    expect(breakers.state(KEY)).toBe('half-open');
    const probe = await breakers.run(KEY, bad, failed, { force: false, describe: () => '503 upstream overloaded' });
    expect(probe).toEqual({ skipped: false, value: { ok: false } });
    expect(breakers.state(KEY)).toBe('open');
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'open', openedAt: t, lastError: '503 upstream overloaded' });
    t += 10_000;
    expect(await breakers.run(KEY, ok, failed, plain)).toEqual({ skipped: true });
    t += 20_000;
    expect(await breakers.run(KEY, ok, failed, plain)).toEqual({ skipped: false, value: { ok: true } });
    expect(breakers.state(KEY)).toBe('closed');
  });

  it('force runs the last remaining endpoint even while open; its verdict counts as the probe', async () => {
    await failTimes(3);
    expect(await breakers.run(KEY, bad, failed, { force: true })).toEqual({ skipped: false, value: { ok: false } });
    expect(breakers.state(KEY)).toBe('open');
    expect(store.routing.getBreaker(KEY)!.openedAt).toBe(t);
    expect(await breakers.run(KEY, ok, failed, { force: true })).toEqual({ skipped: false, value: { ok: true } });
    expect(breakers.state(KEY)).toBe('closed');
  });

  it('a thrown error is a failure, recorded and rethrown', async () => {
    const boom = async (): Promise<R> => {
      throw new Error('ECONNRESET');
    };
    for (let i = 0; i < 3; i++) await expect(breakers.run(KEY, boom, failed, plain)).rejects.toThrow('ECONNRESET');
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'open', lastError: 'ECONNRESET' });
  });

  it('keys are independent', async () => {
    await failTimes(3);
    const other = breakerKey('groq', 1, 'llama-3.1-8b');
    expect(breakers.state(other)).toBe('closed');
    expect(await breakers.run(other, ok, failed, plain)).toEqual({ skipped: false, value: { ok: true } });
  });

  it('concurrent failures of one key are all counted', async () => {
    // All three settle in the same tick, so their bookkeeping interleaves at the microtask level.
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    const runs = [1, 2, 3].map(() => breakers.run(KEY, () => together.then(() => ({ ok: false })), failed, plain));
    release();
    await Promise.all(runs);
    expect(store.routing.getBreaker(KEY)).toMatchObject({ state: 'open', failures: 3 });
  });

  it('lets a single probe through while it is in flight', async () => {
    await failTimes(3);
    t += 30_000;
    let release!: (r: R) => void;
    const pending = breakers.run(KEY, () => new Promise<R>((resolve) => (release = resolve)), failed, plain);
    expect(store.routing.getBreaker(KEY)!.state).toBe('half-open');
    expect(await breakers.run(KEY, ok, failed, plain)).toEqual({ skipped: true });
    release({ ok: true });
    await pending;
    expect(breakers.state(KEY)).toBe('closed');
  });
});

describe('Breakers shared by two processes (two connections to one data directory)', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  let t: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sy-breakers-'));
    a = openStore(dir);
    b = openStore(dir);
    t = 5_000_000;
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one process opening the circuit makes the other skip, probe and close it', async () => {
    const clock = () => t;
    const first = new Breakers(a.routing, {}, clock);
    const second = new Breakers(b.routing, {}, clock);
    for (let i = 0; i < 3; i++) await first.run(KEY, bad, failed, plain);
    expect(second.state(KEY)).toBe('open');
    expect(await second.run(KEY, ok, failed, plain)).toEqual({ skipped: true });
    t += 30_000;
    expect(await second.run(KEY, ok, failed, plain)).toEqual({ skipped: false, value: { ok: true } });
    expect(first.state(KEY)).toBe('closed');
  });

  it('failures from both processes add up', async () => {
    const first = new Breakers(a.routing, {}, () => t);
    const second = new Breakers(b.routing, {}, () => t);
    await first.run(KEY, bad, failed, plain);
    await second.run(KEY, bad, failed, plain);
    expect(first.state(KEY)).toBe('closed');
    await first.run(KEY, bad, failed, plain);
    expect(second.state(KEY)).toBe('open');
  });

  it('a probe in flight in one process is not duplicated by the other; an abandoned one expires', async () => {
    const first = new Breakers(a.routing, {}, () => t);
    const second = new Breakers(b.routing, {}, () => t);
    for (let i = 0; i < 3; i++) await first.run(KEY, bad, failed, plain);
    t += 30_000;
    // The first process starts its probe and "dies" before finishing it.
    void first.run(KEY, () => new Promise<R>(() => undefined), failed, plain);
    expect(await second.run(KEY, ok, failed, plain)).toEqual({ skipped: true });
    t += 30_000;
    expect(await second.run(KEY, ok, failed, plain)).toEqual({ skipped: false, value: { ok: true } });
    expect(second.state(KEY)).toBe('closed');
  });
});
