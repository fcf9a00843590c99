/**
 * Bad calls to the headless host, each of which must get a 4xx and a one-line `error`:
 * every call with bodies of the wrong type, then targeted ones per call (missing and
 * extra fields, out-of-range numbers, huge strings, deep nesting, bad targets), not-JSON
 * bodies, wrong methods and unknown calls.
 */
import { allCalls } from '../../../shared/contract';

export interface HostCase {
  name: string;
  path: string;
  method?: string;
  /** Sent as is when a string; JSON otherwise. */
  body?: unknown;
  raw?: boolean;
}

const HUGE = 'x'.repeat(100_000);
const rpc = (channel: string) => `/api/rpc/${channel}`;
const msg = [{ role: 'user', content: 'hi' }];

function wrongTypes(): HostCase[] {
  const out: HostCase[] = [];
  for (const { def } of allCalls()) {
    for (const body of ['[]', '"x"', '42', 'null', 'true']) out.push({ name: `${def.channel} with ${body}`, path: rpc(def.channel), body, raw: true });
  }
  return out;
}

function targeted(): HostCase[] {
  const c = (channel: string, name: string, body: unknown): HostCase => ({ name: `${channel}: ${name}`, path: rpc(channel), body });
  const start = (name: string, body: Record<string, unknown>) => c('compare:start-run', name, { messages: msg, targets: ['mock:mock-small'], ...body });
  return [
    c('compare:start-run', 'no fields', {}),
    c('compare:start-run', 'no targets', { messages: msg }),
    start('empty targets', { targets: [] }),
    start('65 targets', { targets: Array.from({ length: 65 }, () => 'mock:mock-small') }),
    start('target ":"', { targets: [':'] }),
    start('target "a b"', { targets: ['a b'] }),
    start('huge target', { targets: [`${HUGE}:m`] }),
    start('unknown provider', { targets: ['nope:m'] }),
    start('target is a number', { targets: [1] }),
    start('no messages', { messages: [] }),
    start('a system-role message', { messages: [{ role: 'system', content: 'x' }] }),
    start('content not a string', { messages: [{ role: 'user', content: { a: 1 } }] }),
    start('seed 2147483648', { params: { seed: 2147483648 } }),
    start('seed 1.5', { params: { seed: 1.5 } }),
    start('maxTokens 0', { params: { maxTokens: 0 } }),
    start('maxTokens 1e12', { params: { maxTokens: 1e12 } }),
    start('temperature 3', { params: { temperature: 3 } }),
    start('attachment with a short hash', { messages: [{ role: 'user', content: 'hi', attachments: [{ hash: 'abc', mime: 'image/png', name: 'x.png', size: 1 }] }] }),
    start('attachment of an unknown type', { messages: [{ role: 'user', content: 'hi', attachments: [{ hash: 'a'.repeat(64), mime: 'image/svg+xml', name: 'x.svg', size: 1 }] }] }),
    start('attachment not stored', { messages: [{ role: 'user', content: 'hi', attachments: [{ hash: 'a'.repeat(64), mime: 'image/png', name: 'x.png', size: 1 }] }] }),
    c('compare:add-attachment', 'no fields', {}),
    c('compare:add-attachment', 'not base64', { name: 'x.png', dataBase64: '%%%' }),
    c('compare:add-attachment', 'empty file', { name: 'x.txt', dataBase64: '' }),
    c('compare:add-attachment', 'binary junk', { name: 'x.png', dataBase64: Buffer.from([0, 1, 2, 0xff]).toString('base64') }),
    c('compare:add-attachment', 'huge name', { name: HUGE, dataBase64: 'aGk=' }),
    start('temperature "0.5"', { params: { temperature: '0.5' } }),
    start('topP -1', { params: { topP: -1 } }),
    start('five stop sequences', { params: { stop: ['a', 'b', 'c', 'd', 'e'] } }),
    start('an extra field', { bogus: true }),
    start('routing strategy fastest', { routing: { strategy: 'fastest' } }),
    start('deep nesting in a field', { system: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown }),
    c('compare:estimate-run', 'target "a:"', { messages: msg, targets: ['a:'] }),
    c('compare:estimate-run', 'seed -2147483649', { messages: msg, targets: ['mock:mock-small'], params: { seed: -2147483649 } }),
    c('compare:cancel-run', 'no runId', {}),
    c('compare:cancel-column', 'runId a number', { runId: 1, columnId: 'c' }),
    c('compare:retry-column', 'unknown run', { runId: 'r_nope', columnId: 'c_nope' }),
    c('compare:retry-column', 'huge ids', { runId: HUGE, columnId: HUGE }),
    c('history:get-run', 'unknown run', { runId: 'r_nope' }),
    c('history:get-run', 'huge run id', { runId: HUGE }),
    c('history:get-run', 'empty run id', { runId: '' }),
    c('history:get-run', 'an extra field', { runId: 'r', id: 'r' }),
    c('history:list-runs', 'limit 0', { limit: 0 }),
    c('history:list-runs', 'limit 1e9', { limit: 1e9 }),
    c('history:list-runs', 'offset -1', { offset: -1 }),
    c('history:list-runs', 'huge query', { query: HUGE }),
    c('history:delete-run', 'runId null', { runId: null }),
    c('history:list-runs', 'status great', { filters: { status: 'great' } }),
    c('history:list-runs', 'an empty tag', { filters: { tags: ['  '] } }),
    c('history:list-runs', 'since -1', { filters: { since: -1 } }),
    c('history:list-runs', 'source with spaces', { filters: { source: 'my source' } }),
    c('history:set-tags', 'unknown run', { runId: 'r_nope', tags: ['a'] }),
    c('history:set-tags', 'a 41-character tag', { runId: 'r', tags: ['x'.repeat(41)] }),
    c('history:set-tags', '21 tags', { runId: 'r', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
    c('history:set-note', 'unknown run', { runId: 'r_nope', note: 'n' }),
    c('history:set-note', 'a 10,001-character note', { runId: 'r', note: 'n'.repeat(10_001) }),
    c('history:get-attachment', 'not a hash', { hash: 'abc' }),
    c('prompts:save-prompt', 'no fields', {}),
    c('prompts:save-prompt', 'huge name', { name: HUGE, kind: 'prompt', body: 'x' }),
    c('prompts:save-prompt', 'kind user', { name: 'x', kind: 'user', body: 'x' }),
    c('prompts:save-prompt', 'empty body', { name: 'x', kind: 'prompt', body: '' }),
    c('prompts:save-prompt', 'unknown id', { id: 'p_nope', name: 'x', kind: 'prompt', body: 'x' }),
    c('prompts:list-prompts', 'huge query', { query: HUGE }),
    c('prompts:delete-prompt', 'unknown id', { id: 'p_nope' }),
    c('prompts:mark-used', 'id a number', { id: 1 }),
    c('providers:save-provider', 'bad id', { id: 'Bad Id', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }),
    c('providers:save-provider', 'huge id', { id: HUGE, type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }),
    c('providers:save-provider', 'bad type', { id: 'y', type: 'cohere', baseUrl: 'http://127.0.0.1:9/v1' }),
    c('providers:save-provider', 'not a URL', { id: 'y', type: 'openai', baseUrl: 'nope' }),
    c('providers:save-provider', 'ftp URL', { id: 'y', type: 'openai', baseUrl: 'ftp://example.com' }),
    c('providers:save-provider', 'bad env var', { id: 'y', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: '1X' }),
    c('providers:save-provider', 'a key with no keychain', { id: 'y', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-test' }),
    c('providers:save-provider', 'type change without replace', { id: 'mock', type: 'gemini', baseUrl: 'http://127.0.0.1:9/v1' }),
    c('providers:remove-provider', 'unknown', { id: 'nope' }),
    c('providers:test-provider', 'unknown', { id: HUGE }),
    c('providers:list-models', 'huge query', { query: HUGE }),
    c('settings:save-model-set', 'target ":"', { name: 'set', targets: [':'] }),
    c('settings:save-model-set', 'target "a b"', { name: 'set', targets: ['mock:mock-small', 'a b'] }),
    c('settings:save-model-set', 'empty target', { name: 'set', targets: [''] }),
    c('settings:save-model-set', 'huge target', { name: 'set', targets: [HUGE] }),
    c('settings:save-model-set', 'no targets', { name: 'set', targets: [] }),
    c('settings:save-model-set', 'targets not a list', { name: 'set', targets: 'mock:mock-small' }),
    c('settings:save-model-set', 'empty name', { name: '', targets: ['mock:mock-small'] }),
    c('settings:save-model-set', 'huge name', { name: HUGE, targets: ['mock:mock-small'] }),
    c('settings:delete-model-set', 'empty name', { name: '' }),
    c('catalog:search-models', 'limit 0', { limit: 0 }),
    c('catalog:search-models', 'huge query', { query: HUGE }),
    c('catalog:search-models', 'provider not a list', { provider: 'openai' }),
    c('catalog:get-model', 'unknown model', { modelId: HUGE }),
    c('spend:get-summary', 'by week', { by: 'week' }),
    c('spend:get-summary', 'sinceMs -1', { sinceMs: -1 }),
    c('spend:list-entries', 'limit 0', { limit: 0 }),
    c('spend:save-budget', 'usd -1', { scope: 'all', period: 'day', usd: -1 }),
    c('spend:save-budget', 'a provider budget without the provider', { scope: 'provider', period: 'day', usd: 5 }),
    c('spend:save-budget', 'warnPct 0', { scope: 'all', period: 'day', usd: 5, warnPct: 0 }),
    c('spend:save-budget', 'period year', { scope: 'all', period: 'year', usd: 5 }),
    c('spend:remove-budget', 'unknown', { id: 'b_nope' }),
  ];
}

function transport(): HostCase[] {
  const list = rpc('history:list-runs');
  return [
    { name: 'not JSON', path: list, body: '{nope', raw: true },
    { name: 'half an object', path: list, body: '{"limit":', raw: true },
    { name: 'two values', path: list, body: '{}{}', raw: true },
    { name: 'NaN', path: list, body: 'NaN', raw: true },
    { name: 'a NUL byte', path: list, body: '\u0000', raw: true },
    { name: 'deeply nested arrays', path: list, body: '['.repeat(200_000) + ']'.repeat(200_000), raw: true },
    { name: 'huge garbage', path: list, body: '#'.repeat(500_000), raw: true },
    { name: 'a body over the limit', path: list, body: JSON.stringify({ query: 'q'.repeat(3 * 1024 * 1024) }), raw: true },
    { name: 'GET on a call', path: list, method: 'GET' },
    { name: 'PUT on a call', path: list, method: 'PUT', body: '{}', raw: true },
    { name: 'DELETE on a call', path: list, method: 'DELETE' },
    { name: 'an unknown call', path: rpc('nothing:here'), body: {} },
    { name: 'an unknown method of a domain', path: rpc('history:purge-all'), body: {} },
    { name: 'a huge call name', path: rpc(`a:${'b'.repeat(4000)}`), body: {} },
    { name: 'a call with a trailing path', path: `${list}/extra`, body: {} },
    { name: 'an encoded slash in the call', path: '/api/rpc/history%2Flist-runs', body: {} },
    { name: 'a bad escape in the call', path: '/api/rpc/%E0%A4%A', body: {} },
    { name: 'an unknown API path', path: '/api/nope', body: {} },
    { name: 'POST to the event stream', path: '/api/events', body: {} },
    { name: 'POST to the UI', path: '/', body: {} },
  ];
}

export function hostCases(): HostCase[] {
  return [...wrongTypes(), ...targeted(), ...transport()];
}
