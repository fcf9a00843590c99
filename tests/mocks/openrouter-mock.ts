/**
 * A loopback HTTP server answering OpenRouter's public model-list API with
 * responses in the recorded shape (`GET /api/v1/models`,
 * `GET /api/v1/models/{author}/{slug}/endpoints`). Lets the refresh run its
 * real fetch path without the network.
 *
 * @example
 * const mock = await startOpenRouterMock();
 * await refreshFromOpenRouter({ base, baseUrl: mock.baseUrl });
 * await mock.close();
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface OpenRouterMock {
  /** `http://127.0.0.1:<port>/api/v1` */
  baseUrl: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Replace a route's answer: a JSON body, or an HTTP status to fail with. */
  set(path: string, answer: { status: number; body?: unknown }): void;
  close(): Promise<void>;
}

/** Shapes copied from real OpenRouter answers, trimmed to a handful of models. */
export const RECORDED_MODELS = {
  data: [
    {
      id: 'openai/gpt-4o-mini',
      canonical_slug: 'openai/gpt-4o-mini',
      hugging_face_id: '',
      name: 'OpenAI: GPT-4o-mini',
      created: 1721260800,
      description: "GPT-4o mini is OpenAI's newest model after GPT-4 Omni.",
      context_length: 128000,
      architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'], tokenizer: 'GPT', instruct_type: null },
      pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0.000217', web_search: '0', internal_reasoning: '0', input_cache_read: '0.000000075' },
      top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
      per_request_limits: null,
      supported_parameters: ['max_tokens', 'temperature', 'top_p', 'tools', 'tool_choice', 'response_format', 'structured_outputs', 'seed', 'stop'],
      default_parameters: {},
    },
    {
      id: 'newlab/brand-new-model',
      canonical_slug: 'newlab/brand-new-model-20251009',
      hugging_face_id: 'newlab/Brand-New-Model',
      name: 'NewLab: Brand New Model',
      created: 1760000000,
      context_length: 262144,
      architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other', instruct_type: null },
      pricing: { prompt: '0.0000002', completion: '0.0000008', request: '0', image: '0', internal_reasoning: '0.000001' },
      top_provider: { context_length: 262144, max_completion_tokens: 65536, is_moderated: false },
      supported_parameters: ['max_tokens', 'temperature', 'reasoning', 'include_reasoning', 'tools'],
    },
    {
      id: 'openrouter/auto',
      canonical_slug: 'openrouter/auto',
      name: 'Auto Router',
      created: 1699401600,
      context_length: 2000000,
      architecture: { modality: 'text+image->text', input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'Router' },
      pricing: { prompt: '-1', completion: '-1' },
      top_provider: { context_length: null, max_completion_tokens: null, is_moderated: false },
      supported_parameters: [],
    },
    {
      id: 'meta-llama/llama-3.3-70b-instruct:free',
      canonical_slug: 'meta-llama/llama-3.3-70b-instruct',
      hugging_face_id: 'meta-llama/Llama-3.3-70B-Instruct',
      name: 'Meta: Llama 3.3 70B Instruct (free)',
      created: 1733506137,
      context_length: 131072,
      architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Llama3' },
      pricing: { prompt: '0', completion: '0', request: '0', image: '0' },
      top_provider: { context_length: 131072, max_completion_tokens: 4096, is_moderated: false },
      supported_parameters: ['max_tokens', 'temperature', 'tools'],
    },
    { name: 'entry without an id, as a damaged answer might carry' },
  ],
};

export const RECORDED_ENDPOINTS_GPT_4O_MINI = {
  data: {
    id: 'openai/gpt-4o-mini',
    name: 'OpenAI: GPT-4o-mini',
    created: 1721260800,
    architecture: { tokenizer: 'GPT', instruct_type: null, modality: 'text+image->text' },
    endpoints: [
      {
        name: 'OpenAI | openai/gpt-4o-mini',
        context_length: 128000,
        pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0.000217', input_cache_read: '0.000000075' },
        provider_name: 'OpenAI',
        tag: 'openai',
        quantization: 'unknown',
        max_completion_tokens: 16384,
        max_prompt_tokens: null,
        supported_parameters: ['tools', 'response_format'],
        status: 0,
        uptime_last_30m: 99.91,
      },
      {
        name: 'Azure | openai/gpt-4o-mini',
        context_length: 128000,
        pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0.000217' },
        provider_name: 'Azure',
        tag: 'azure',
        quantization: 'unknown',
        max_completion_tokens: 16384,
        max_prompt_tokens: null,
        supported_parameters: ['tools'],
        status: 0,
        uptime_last_30m: 98.4,
      },
    ],
  },
};

export async function startOpenRouterMock(): Promise<OpenRouterMock> {
  const routes = new Map<string, { status: number; body?: unknown }>([
    ['/api/v1/models', { status: 200, body: RECORDED_MODELS }],
    ['/api/v1/models/openai/gpt-4o-mini/endpoints', { status: 200, body: RECORDED_ENDPOINTS_GPT_4O_MINI }],
  ]);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const route = req.method === 'GET' ? routes.get(path) : undefined;
    const status = route?.status ?? 404;
    const body = route?.body ?? { error: { code: status, message: status === 404 ? 'Not Found' : 'Upstream error' } };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    set: (path, answer) => void routes.set(path, answer),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
