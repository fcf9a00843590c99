#!/usr/bin/env node
// Builds the shipped offline catalog from the models.dev snapshot.
//   node scripts/build-catalog.mjs [path/to/models-dev.json] [--out path/to/catalog.json]
// The output is compact JSON on purpose: it ships inside the app and is parsed at startup.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out');
const outPath = outFlag >= 0 ? resolve(args[outFlag + 1]) : resolve(repo, 'electron/engine/catalog/data/catalog.json');
const inArg = args.find((a, i) => !a.startsWith('--') && (outFlag < 0 || i !== outFlag + 1));
const inPath = resolve(inArg ?? resolve(repo, '../shared/catalog/models-dev-2026-07-02.json'));
const licensePath = resolve(dirname(inPath), 'LICENSE-models-dev');

function readOrExit(path, what) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`build-catalog: cannot read ${what} ${path}: ${e.code ?? e.message}`);
    process.exit(1);
  }
}
const snapshot = JSON.parse(readOrExit(inPath, 'the models.dev snapshot'));
// The MIT notice must travel with the derived data, so a snapshot without it is refused.
const license = readOrExit(licensePath, 'the licence notice').trim();

// Providers that are the lab itself: their bare upstream ids become `lab/id`.
const FIRST_PARTY = {
  openai: 'openai', anthropic: 'anthropic', google: 'google', mistral: 'mistral', deepseek: 'deepseek', xai: 'xai',
  cohere: 'cohere', perplexity: 'perplexity', moonshotai: 'moonshotai', 'moonshotai-cn': 'moonshotai',
  alibaba: 'alibaba', 'alibaba-cn': 'alibaba', zhipuai: 'zhipuai', zai: 'zhipuai', minimax: 'minimax',
  'minimax-cn': 'minimax', xiaomi: 'xiaomi', stepfun: 'stepfun', sakana: 'sakana', sarvam: 'sarvam',
  upstage: 'upstage', inception: 'inception', poolside: 'poolside', morph: 'morph', llama: 'meta', nova: 'amazon',
};

// Hosts spell a lab several ways (OpenRouter `x-ai`, Hugging Face `Qwen`); models.dev's `base_model`
// uses the names on the right, so aliasing them makes one model gather all its endpoints.
// Keep in sync with LAB_ALIASES in electron/engine/catalog/openrouter-refresh.ts.
const LAB_ALIASES = {
  'x-ai': 'xai', mistralai: 'mistral', 'z-ai': 'zhipuai', 'zai-org': 'zhipuai', thudm: 'zhipuai',
  'meta-llama': 'meta', qwen: 'alibaba', 'deepseek-ai': 'deepseek', minimaxai: 'minimax',
  moonshot: 'moonshotai', 'stepfun-ai': 'stepfun', 'xiaomimimo': 'xiaomi',
};

// Base URLs models.dev leaves out because the AI SDK package knows them; these are each
// provider's documented public endpoint, needed so catalog endpoints can be called directly.
const KNOWN_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
  groq: 'https://api.groq.com/openai/v1',
  mistral: 'https://api.mistral.ai/v1',
  xai: 'https://api.x.ai/v1',
  togetherai: 'https://api.together.xyz/v1',
  deepinfra: 'https://api.deepinfra.com/v1/openai',
  cerebras: 'https://api.cerebras.ai/v1',
  perplexity: 'https://api.perplexity.ai',
};

// AI SDK packages that speak OpenAI Chat Completions on the wire.
const OPENAI_WIRE_NPM = new Set([
  '@ai-sdk/openai', '@ai-sdk/openai-compatible', '@openrouter/ai-sdk-provider', '@ai-sdk/groq', '@ai-sdk/mistral',
  '@ai-sdk/xai', '@ai-sdk/togetherai', '@ai-sdk/deepinfra', '@ai-sdk/cerebras', '@ai-sdk/perplexity',
]);

function protocolOf(id, p, api) {
  if (id === 'anthropic' || p.npm === '@ai-sdk/anthropic') return api ? 'anthropic' : null;
  if (id === 'google') return 'gemini';
  if (api && (OPENAI_WIRE_NPM.has(p.npm) || p.api)) return 'openai';
  return null;
}

/** Target syntax allows `[A-Za-z0-9._:/+-]`, starting alphanumeric; ids are lowercased so hosts' casings merge. */
function cleanId(id) {
  return id
    .toLowerCase()
    .split('/')
    .map((seg) => seg.replace(/[^a-z0-9._:+-]/g, '-').replace(/^[^a-z0-9]+/, ''))
    .filter(Boolean)
    .join('/');
}

function aliasLab(id) {
  const [lab, ...rest] = cleanId(id).split('/');
  return [LAB_ALIASES[lab] ?? lab, ...rest].join('/');
}

// First pass: the labs' own model names, used to link bare ids on resellers (`gpt-4o-mini` on 302ai).
const labByName = new Map();
for (const [pid, p] of Object.entries(snapshot.providers)) {
  const lab = FIRST_PARTY[pid];
  if (!lab) continue;
  for (const mid of Object.keys(p.models)) {
    const name = cleanId(mid);
    const seen = labByName.get(name);
    labByName.set(name, seen === undefined || seen === lab ? lab : null); // null = ambiguous, never guessed
  }
}

function canonicalId(pid, mid, m) {
  if (m.base_model) return aliasLab(m.base_model);
  if (/^[^/@]+\/[^/]+$/.test(mid)) return aliasLab(mid);
  if (FIRST_PARTY[pid]) return `${FIRST_PARTY[pid]}/${cleanId(mid)}`;
  if (!mid.includes('/')) {
    // Vertex spells versions `claude-opus-4-1@20250805`; the lab spells them `claude-opus-4-1-20250805`.
    for (const name of [cleanId(mid.replace('@', '-')), cleanId(mid.split('@')[0])]) {
      const lab = labByName.get(name);
      if (lab) return `${lab}/${name}`;
    }
  }
  return `${pid}/${cleanId(mid)}`;
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

function priceOf(cost) {
  if (!cost || num(cost.input) === null || num(cost.output) === null) return null;
  const tiers = (cost.tiers ?? [])
    .filter((t) => t.tier && num(t.tier.size) && t.tier.size > 0 && num(t.input) !== null && num(t.output) !== null)
    .map((t) => ({ aboveInputTokens: t.tier.size, inputPerM: t.input, outputPerM: t.output, cacheReadPerM: num(t.cache_read) }))
    .sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  return {
    inputPerM: cost.input,
    outputPerM: cost.output,
    // A few providers spell the cache keys differently; same meaning.
    cacheReadPerM: num(cost.cache_read) ?? num(cost.cached_input) ?? num(cost.cache_input),
    cacheWritePerM: num(cost.cache_write) ?? num(cost.cached_write),
    reasoningPerM: num(cost.reasoning),
    tiers,
  };
}

const bool = (v) => (typeof v === 'boolean' ? v : null);
const int = (v) => (Number.isInteger(v) && v > 0 ? v : null);

const providers = [];
const endpoints = [];
const models = new Map(); // canonical id -> { model, firstParty }

for (const [pid, p] of Object.entries(snapshot.providers).sort(([a], [b]) => a.localeCompare(b))) {
  const api = p.api ?? KNOWN_BASE_URLS[pid] ?? null;
  providers.push({ id: pid, name: p.name, api, env: p.env ?? [], doc: p.doc ?? null, npm: p.npm ?? null, protocol: protocolOf(pid, p, api) });
  for (const [mid, m] of Object.entries(p.models).sort(([a], [b]) => a.localeCompare(b))) {
    const modelId = canonicalId(pid, mid, m);
    const input = m.modalities?.input ?? [];
    const output = m.modalities?.output ?? [];
    endpoints.push({
      providerId: pid,
      upstreamModel: mid,
      modelId,
      price: priceOf(m.cost),
      contextWindow: int(m.limit?.context),
      maxOutput: int(m.limit?.output),
      capabilities: { tools: bool(m.tool_call), vision: input.includes('image'), json: bool(m.structured_output), reasoning: bool(m.reasoning) },
    });
    const firstParty = FIRST_PARTY[pid] !== undefined && modelId.startsWith(`${FIRST_PARTY[pid]}/`);
    const prior = models.get(modelId);
    // The lab's own listing describes the model best; otherwise the first host seen wins.
    if (prior && (prior.firstParty || !firstParty)) continue;
    models.set(modelId, {
      firstParty,
      model: {
        id: modelId,
        name: m.name ?? mid,
        family: m.family ?? null,
        reasoning: bool(m.reasoning),
        toolCall: bool(m.tool_call),
        attachment: bool(m.attachment),
        structuredOutput: bool(m.structured_output),
        inputModalities: input,
        outputModalities: output,
        contextWindow: int(m.limit?.context),
        maxOutput: int(m.limit?.output),
        releaseDate: m.release_date ?? null,
        openWeights: bool(m.open_weights),
      },
    });
  }
}

const doc = {
  asOf: snapshot.as_of ?? '2026-07-02',
  source: `models.dev open model database (github.com/anomalyco/models.dev, commit ${String(snapshot.commit ?? '').slice(0, 7)})`,
  license,
  providers,
  models: [...models.values()].map((x) => x.model).sort((a, b) => a.id.localeCompare(b.id)),
  endpoints,
  overrides: [],
};

if (providers.length < 100 || endpoints.length < 3000) {
  console.error(`build-catalog: only ${providers.length} providers / ${endpoints.length} endpoints; refusing to write a thin catalog`);
  process.exit(1);
}
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify(doc));
console.log(`build-catalog: ${providers.length} providers, ${doc.models.length} models, ${endpoints.length} endpoints -> ${outPath}`);
