/**
 * What each wire fixture must come out as, read off the fixture by hand
 * (tests/fixtures/wire/README.md says where each came from). Nothing here is
 * computed by the code under test: a change in an adapter's output fails the
 * conformance test until someone reads the fixture again and agrees.
 */
import type { ProviderType } from '../../../shared/domain';
import type { AdapterError, AdapterOutcome, ReportedUsage } from '../../../electron/engine/providers/types';
import type { ToolCall } from '../../../shared/tools';

export interface WireExpected {
  status: AdapterOutcome['status'];
  finishReason: string | null;
  usage: ReportedUsage;
  httpStatus: number;
  error: AdapterError | null;
  /** onText deltas, in order. */
  text: string[];
  /** onReasoning deltas, in order. */
  reasoning: string[];
  /** The tool calls in the fixture, read off it by hand: arguments as the pieces join, and parsed. */
  toolCalls?: ToolCall[];
}

export interface WireCase {
  provider: ProviderType;
  /** Under tests/fixtures/wire/<provider>/. */
  file: string;
  /** HTTP status and headers to serve the body with (default 200, text/event-stream). */
  status?: number;
  headers?: Record<string, string>;
  expected: WireExpected;
}

const call = (id: string, name: string, args: string, parsed: unknown): ToolCall => ({ id, name, arguments: args, parsed });

const usage = (u: Partial<ReportedUsage>): ReportedUsage => ({
  inputTokens: null,
  outputTokens: null,
  reasoningTokens: null,
  cachedInputTokens: null,
  costUsd: null,
  ...u,
});
const NO_USAGE = usage({});

const ok = (finishReason: string, u: ReportedUsage, text: string[], reasoning: string[] = []): WireExpected => ({
  status: 'ok',
  finishReason,
  usage: u,
  httpStatus: 200,
  error: null,
  text,
  reasoning,
});

const streamError = (message: string, providerMessage: string, u: ReportedUsage, text: string[]): WireExpected => ({
  status: 'error',
  finishReason: null,
  usage: u,
  httpStatus: 200,
  error: { kind: 'stream_error', message, httpStatus: 200, retryAfterMs: null, providerMessage },
  text,
  reasoning: [],
});

const httpError = (error: AdapterError): WireExpected => ({
  status: 'error',
  finishReason: null,
  usage: NO_USAGE,
  httpStatus: error.httpStatus!,
  error,
  text: [],
  reasoning: [],
});

const OPENAI_429 =
  'Rate limit reached for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Used 30000, Requested 512. Please try again in 1.024s.';
const GEMINI_404 =
  'models/custom-gemini-2.0-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.';
const GEMINI_500 = 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
const OPENAI_500 = 'The server had an error while processing your request. Sorry about that!';

export const CASES: WireCase[] = [
  // OpenAI: the first delta's empty content and `refusal: ""` are not text; usage comes in the `choices: []` chunk.
  { provider: 'openai', file: 'text-usage.txt', expected: ok('stop', usage({ inputTokens: 9, outputTokens: 2, reasoningTokens: 0 }), ['Foo', '!']) },
  { provider: 'openai', file: 'length.txt', expected: ok('length', usage({ inputTokens: 79, outputTokens: 1, reasoningTokens: 0 }), ['{"']) },
  {
    provider: 'openai',
    file: 'refusal.txt',
    // The adapter shows a refusal as the answer text (there is no refusal channel).
    expected: ok('stop', usage({ inputTokens: 79, outputTokens: 11, reasoningTokens: 0 }), [
      "I'm",
      ' sorry',
      ',',
      ' I',
      " can't",
      ' assist',
      ' with',
      ' that',
      ' request',
      '.',
    ]),
  },
  {
    provider: 'openai',
    file: 'tool-call.txt',
    expected: {
      ...ok('tool_calls', usage({ inputTokens: 44, outputTokens: 16, reasoningTokens: 0 }), []),
      toolCalls: [call('call_4XzlGBLtUe9dy3GVNV4jhq7h', 'get_weather', '{"city":"New York City"}', { city: 'New York City' })],
    },
  },
  {
    provider: 'openai',
    file: 'parallel-tool-calls.txt',
    // Two calls interleaved by index: each keeps its own id, name and arguments.
    expected: {
      ...ok('tool_calls', usage({ inputTokens: 149, outputTokens: 60, reasoningTokens: 0 }), []),
      toolCalls: [
        call('call_JMW1whyEaYG438VE1OIflxA2', 'GetWeatherArgs', '{"city": "Edinburgh", "country": "GB", "units": "c"}', { city: 'Edinburgh', country: 'GB', units: 'c' }),
        call('call_DNYTawLBoN8fj3KN6qU9N1Ou', 'get_stock_price', '{"ticker": "AAPL", "exchange": "NASDAQ"}', { ticker: 'AAPL', exchange: 'NASDAQ' }),
      ],
    },
  },
  {
    provider: 'openai',
    file: 'openrouter-comments-error.txt',
    // Comments are not events; the error wins over the chunk's own finish_reason "error".
    expected: streamError('openai stream error: Provider disconnected unexpectedly', 'Provider disconnected unexpectedly', NO_USAGE, ['Half an']),
  },
  { provider: 'openai', file: 'error-in-stream.txt', expected: streamError(`openai stream error: ${OPENAI_500}`, OPENAI_500, NO_USAGE, ['Foo']) },
  {
    provider: 'openai',
    file: 'http-429-rate-limit.txt',
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after-ms': '1024', 'retry-after': '2' },
    expected: httpError({ kind: 'rate_limit', message: `429 from openai: ${OPENAI_429}`, httpStatus: 429, retryAfterMs: 1024, providerMessage: OPENAI_429 }),
  },

  // Anthropic: ping and content_block_stop carry nothing; output_tokens in message_delta is cumulative and wins.
  { provider: 'anthropic', file: 'doc-basic.txt', expected: ok('end_turn', usage({ inputTokens: 25, outputTokens: 15 }), ['Hello', '!']) },
  {
    provider: 'anthropic',
    file: 'doc-tool-use.txt',
    expected: { ...ok('tool_use', usage({ inputTokens: 472, outputTokens: 89 }), [
      'Okay',
      ',',
      ' let',
      "'s",
      ' check',
      ' the',
      ' weather',
      ' for',
      ' San',
      ' Francisco',
      ',',
      ' CA',
      ':',
    ]), toolCalls: [call('toolu_01T1x1fJ34qAmk2tNTrN7Up6', 'get_weather', '{"location": "San Francisco, CA"}', { location: 'San Francisco, CA' })] },
  },
  {
    provider: 'anthropic',
    file: 'doc-thinking.txt',
    // No usage anywhere in this example; the signature_delta is not reasoning text.
    expected: ok(
      'end_turn',
      NO_USAGE,
      ['The greatest common divisor of 1071 and 462 is **21**.'],
      [
        'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147',
        '\n462 = 3 × 147 + 21',
        '\n147 = 7 × 21 + 0',
        '\nThe remainder is 0, so GCD(1071, 462) = 21.',
      ],
    ),
  },
  {
    provider: 'anthropic',
    file: 'sdk-basic.txt',
    // The body ends inside the message_stop line; message_delta's stop_reason already made the answer whole.
    expected: ok('end_turn', usage({ inputTokens: 11, outputTokens: 6 }), ['Hello', ' there', '!']),
  },
  {
    provider: 'anthropic',
    file: 'sdk-tool-use.txt',
    expected: {
      ...ok('tool_use', usage({ inputTokens: 377, outputTokens: 65, cachedInputTokens: 0 }), ['I', "'ll check the current weather in Paris for you."]),
      toolCalls: [call('toolu_01NRLabsLyVHZPKxbKvkfSMn', 'get_weather', '{"location": "Paris"}', { location: 'Paris' })],
    },
  },
  // A refusal is a finished answer with no text; the engine sees it by the finish reason.
  { provider: 'anthropic', file: 'sdk-refusal.txt', expected: ok('refusal', usage({ inputTokens: 20, outputTokens: 0 }), []) },
  {
    provider: 'anthropic',
    file: 'error-overloaded-in-stream.txt',
    expected: streamError('anthropic stream error: overloaded_error: Overloaded', 'Overloaded', usage({ inputTokens: 25, outputTokens: 1 }), ['Hello']),
  },
  {
    provider: 'anthropic',
    file: 'http-529-overloaded.txt',
    status: 529,
    headers: { 'content-type': 'application/json' },
    expected: httpError({ kind: 'server', message: '529 from anthropic: Overloaded', httpStatus: 529, retryAfterMs: null, providerMessage: 'Overloaded' }),
  },

  // Gemini: CRLF framing, no terminal sentinel; the last usageMetadata wins and thoughts count as output.
  {
    provider: 'gemini',
    file: 'max-tokens.txt',
    expected: ok('MAX_TOKENS', usage({ inputTokens: 6, outputTokens: 20 }), [
      'The',
      ' sky is blue',
      " because of a phenomenon called **Rayleigh scattering**. Here's a breakdown:",
    ]),
  },
  {
    provider: 'gemini',
    file: 'function-call.txt',
    // Gemini sends the arguments whole, as an object, and no id: the id is made from the response id.
    expected: {
      ...ok('STOP', usage({ inputTokens: 21, outputTokens: 6 }), []),
      toolCalls: [call('fc_xtSfaIRs8_Sf2Q-skYe5Dg_0', 'customDivide', '{"numerator":100,"denominator":2}', { numerator: 100, denominator: 2 })],
    },
  },
  {
    provider: 'gemini',
    file: 'thinking.txt',
    expected: ok(
      'STOP',
      usage({ inputTokens: 17, outputTokens: 94, reasoningTokens: 85 }),
      ['The sum is **5050** 🧮'],
      ['**Pairing the numbers**\n\n1 + 100, 2 + 99, … each pair is 101.\n', '**Counting pairs**\n\nFifty pairs of 101.\n'],
    ),
  },
  { provider: 'gemini', file: 'safety.txt', expected: ok('SAFETY', usage({ inputTokens: 12, outputTokens: 2 }), ['Here is']) },
  { provider: 'gemini', file: 'prompt-blocked.txt', expected: ok('SAFETY', usage({ inputTokens: 8 }), []) },
  {
    provider: 'gemini',
    file: 'error-in-stream.txt',
    expected: streamError(`gemini stream error: ${GEMINI_500} (INTERNAL)`, GEMINI_500, usage({ inputTokens: 7 }), ['The']),
  },
  {
    provider: 'gemini',
    file: 'http-404-not-found.txt',
    // As recorded: the error is served with the stream's content type.
    status: 404,
    headers: { 'content-type': 'text/event-stream' },
    expected: httpError({ kind: 'not_found', message: `404 from gemini: ${GEMINI_404}`, httpStatus: 404, retryAfterMs: null, providerMessage: GEMINI_404 }),
  },
];
