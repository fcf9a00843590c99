/**
 * Runs the mock providers as a child process (e2e, CLI tests, bench) and prints
 * one JSON line `{"url":…,"baseUrls":…}` once it listens. Configure with
 * MOCK_PROVIDERS (JSON of MockProvidersOptions) or MOCK_PROVIDERS_FILE (a path
 * to such JSON); adjust at runtime through POST /__mock/script, /__mock/reset,
 * /__mock/require-key and read GET /__mock/requests, /__mock/stats.
 *
 * @example MOCK_PROVIDERS='{"requireKey":"sk-test","scripts":{"slow":{"tokenDelayMs":50}}}' npx tsx tests/mocks/run-mock.ts
 */
import { readFileSync } from 'node:fs';
import { startMockProviders, type MockProvidersOptions } from './provider-server';

function loadOptions(): MockProvidersOptions {
  const file = process.env.MOCK_PROVIDERS_FILE;
  const raw = file ? readFileSync(file, 'utf8') : process.env.MOCK_PROVIDERS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('mock options must be a JSON object');
  return parsed as MockProvidersOptions;
}

const mock = await startMockProviders(loadOptions());
process.stdout.write(`${JSON.stringify({ url: mock.url, baseUrls: mock.baseUrls })}\n`);

const shutdown = (): void => {
  void mock.close().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
