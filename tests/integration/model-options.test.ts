/**
 * The model picker's options for providers the catalog does not know (a local
 * server, a private gateway): what the provider listed when it was last
 * tested, kept in SQLite so the picker needs no network call per keystroke.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { modelOptions } from '../../electron/app/services';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';
import { addProvider, closeWorkbenches, openWorkbench } from './helpers';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders({ models: ['local-small', 'local-large'] });
});
afterAll(async () => {
  await closeWorkbenches();
  await mock.close();
});
afterEach(closeWorkbenches);

const targets = (wb: ReturnType<typeof openWorkbench>, q?: string) => modelOptions(wb.ctx, q).map((o) => o.target);

it('offers what a provider listed at its last test, searchable, and forgets it when the URL changes or the provider goes', async () => {
  const wb = openWorkbench();
  await addProvider(wb, { id: 'box', baseUrl: mock.baseUrls.openai });
  expect(targets(wb)).toEqual([]);

  const tested = await wb.ctx.providers.test('box');
  expect(tested).toMatchObject({ ok: true, models: ['local-small', 'local-large'] });
  expect(targets(wb)).toEqual(['box:local-large', 'box:local-small']);
  expect(targets(wb, 'SMALL')).toEqual(['box:local-small']);
  expect(modelOptions(wb.ctx, 'small')[0]).toEqual({ target: 'box:local-small', label: 'local-small on box', provider: 'box', modelId: null });

  // Same URL (a new key, say): the list stays.
  await addProvider(wb, { id: 'box', baseUrl: mock.baseUrls.openai, keyEnv: ['BOX_KEY'] });
  expect(targets(wb)).toHaveLength(2);
  // Another server: the old list would be a guess.
  await addProvider(wb, { id: 'box', baseUrl: `${mock.baseUrls.openai}/other` });
  expect(targets(wb)).toEqual([]);

  await addProvider(wb, { id: 'box', baseUrl: mock.baseUrls.openai });
  await wb.ctx.providers.test('box');
  wb.ctx.providers.remove('box');
  expect(targets(wb)).toEqual([]);
});

it('a failed test keeps the last good list', async () => {
  const wb = openWorkbench();
  await addProvider(wb, { id: 'box', baseUrl: mock.baseUrls.openai });
  await wb.ctx.providers.test('box');
  await mock.close();
  mock = await startMockProviders({ models: ['local-small', 'local-large'] });
  // The old port is closed now: the test fails, the picker still has what it knew.
  const failed = await wb.ctx.providers.test('box');
  expect(failed.ok).toBe(false);
  expect(targets(wb)).toEqual(['box:local-large', 'box:local-small']);
});
