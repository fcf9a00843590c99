import { addMockProvider, expect, pickTargets, test } from './fixtures';

const WEATHER = [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

test('define a tool, a model calls it: the call is shown pretty-printed, and its result goes back with the follow-up', async ({ app: page, mock }) => {
  mock.script('tool-caller', { text: '', toolCalls: [{ id: 'call_e2e', name: 'get_weather', arguments: { city: 'Paris' } }] });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:tool-caller']);
  await page.getByTestId('prompt-user').fill('weather in Paris?');

  await page.getByTestId('tools-format').locator('summary').click();
  const tools = page.getByTestId('tools-json');
  // Checked as typed: a broken array is marked on the field, and Send refuses it.
  await tools.fill('[{"name": "get weather", "parameters": {}}]');
  await expect(page.getByTestId('tools-json-error')).toContainText('tools: 0.name: a tool name is 1-64 letters');
  await expect(tools).toHaveAttribute('aria-invalid', 'true');
  await tools.fill(JSON.stringify(WEATHER));
  await expect(page.getByTestId('tools-json-error')).toHaveCount(0);
  await page.getByTestId('tool-choice').fill('required');

  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('run-status')).toContainText('finished');
  const body = mock.requests.find((r) => r.model === 'tool-caller')!.body as Record<string, unknown>;
  expect(body.tools).toEqual([{ type: 'function', function: WEATHER[0] }]);
  expect(body.tool_choice).toBe('required');

  const call = page.getByTestId('tool-call');
  await expect(call).toHaveCount(1);
  await expect(call.getByTestId('tool-call-name')).toHaveText('get_weather');
  await expect(call.getByTestId('tool-call-args')).toHaveText('{\n  "city": "Paris"\n}');

  mock.script('tool-caller', { text: 'Bring a coat.' });
  await call.getByTestId('tool-result').fill('{"temp_c": 9}');
  await page.getByTestId('follow-up-prompt').fill('what should I wear?');
  await page.getByTestId('follow-up-send').click();
  await expect(page.getByTestId('column').getByTestId('column-text')).toContainText('Bring a coat.');
  const sent = (mock.requests.filter((r) => r.model === 'tool-caller').at(-1)!.body as { messages: unknown[] }).messages;
  expect(sent.slice(1)).toEqual([
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_e2e', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_e2e', content: '{"temp_c": 9}' },
    { role: 'user', content: 'what should I wear?' },
  ]);
  // The earlier turn keeps its call, collapsed above the new answer.
  await expect(page.getByTestId('column-turns')).toContainText('1 earlier turn');

  // The tools stay in the draft across a reload.
  await page.reload();
  await expect(page.getByTestId('tools-json')).toHaveValue(JSON.stringify(WEATHER));
});

test('a structured answer that does not match the schema is marked invalid with the reason; a matching one valid', async ({ app: page, mock }) => {
  mock.script('json-good', { text: '{"city": "Oslo", "temp_c": 3}' });
  mock.script('json-bad', { text: '{"city": "Oslo"}' });
  await addMockProvider(page, mock);
  await page.keyboard.press('Control+1');
  await pickTargets(page, ['mock:json-good', 'mock:json-bad']);
  await page.getByTestId('prompt-user').fill('weather as JSON');
  await page.getByTestId('tools-format').locator('summary').click();
  const schema = page.getByTestId('response-schema');
  await schema.fill('{ "type": "object", ');
  await expect(page.getByTestId('response-schema-error')).toContainText('the response schema is not JSON');
  await schema.fill(JSON.stringify({ type: 'object', properties: { city: { type: 'string' }, temp_c: { type: 'number' } }, required: ['city', 'temp_c'] }));
  await expect(page.getByTestId('response-schema-error')).toHaveCount(0);
  await page.getByTestId('prompt-user').press('Control+Enter');
  await expect(page.getByTestId('run-status')).toContainText('finished');

  const columns = page.getByTestId('column');
  await expect(columns.nth(0).getByTestId('schema-badge')).toHaveText('valid JSON per schema');
  await expect(columns.nth(0).getByTestId('schema-badge')).toHaveAttribute('data-valid', 'true');
  await expect(columns.nth(1).getByTestId('schema-badge')).toHaveText("invalid: the answer must have required property 'temp_c'");
  await expect(columns.nth(1).getByTestId('schema-badge')).toHaveAttribute('data-valid', 'false');
  const body = mock.requests.find((r) => r.model === 'json-bad')!.body as Record<string, unknown>;
  expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'answer' } });
});
