/**
 * Which environment variables may be named as keys, and which host a key may
 * be sent to. Whoever holds the headless host's token (or a compromised
 * renderer) could otherwise save a provider whose key is any variable of the
 * process (`AWS_SECRET_ACCESS_KEY`, `HOME`) and whose base URL is any address,
 * then test it. The CLI is the user at their own shell and may name anything.
 */
import type { KeyRef } from '../../shared/domain';

/** Who is asking: the CLI, the desktop app's renderer, or the headless host's token holder. */
export type KeySurface = 'shell' | 'ipc' | 'http';

export interface KeyPolicy {
  surface: KeySurface;
  /** Variables allowed beyond the naming pattern: `switchyard serve --key-env VAR`. */
  keyEnv: readonly string[];
}

export const SHELL_POLICY: KeyPolicy = { surface: 'shell', keyEnv: [] };

/** What an API key variable is called: `OPENAI_API_KEY`, `GROQ_API_KEY`, `HF_TOKEN`, `MY_LLM_KEY`. */
export const API_KEY_NAME = /^[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)$/;

/**
 * Named like an API key but a credential for something else (cloud accounts,
 * code hosts, registries, CI): sending one to a model provider is never meant.
 */
export const NOT_AN_API_KEY_PREFIXES = [
  'AWS_', 'AZURE_CLIENT_', 'GOOGLE_APPLICATION_', 'GCP_', 'GCLOUD_', 'GITHUB_', 'GH_', 'GITLAB_', 'BITBUCKET_', 'NPM_', 'NODE_AUTH_',
  'DOCKER_', 'CLOUDFLARE_', 'DIGITALOCEAN_', 'HEROKU_', 'VERCEL_', 'NETLIFY_', 'SLACK_', 'STRIPE_', 'TWILIO_', 'SSH_', 'GPG_',
  'VAULT_', 'KUBE_', 'CI_', 'ACTIONS_', 'RUNNER_',
] as const;

/** A word of the name that marks a secret that is not an API key (`DJANGO_SECRET_KEY`, `JWT_SIGNING_KEY`). */
export const NOT_AN_API_KEY_WORDS = ['SECRET', 'PASSWORD', 'PASSWD', 'PRIVATE', 'SESSION', 'SIGNING', 'ENCRYPTION', 'JWT', 'COOKIE', 'CSRF', 'MASTER', 'ADMIN', 'ROOT'] as const;

/**
 * @example isApiKeyName('OPENAI_API_KEY') // true
 * @example isApiKeyName('AWS_SECRET_ACCESS_KEY') // false
 */
export function isApiKeyName(name: string): boolean {
  if (!API_KEY_NAME.test(name)) return false;
  if (NOT_AN_API_KEY_PREFIXES.some((p) => name.startsWith(p))) return false;
  const words = name.split('_');
  return !NOT_AN_API_KEY_WORDS.some((w) => words.includes(w));
}

/** Why `surface` may not name `name` as a key, or null when it may. */
export function envRefusal(name: string, policy: KeyPolicy): string | null {
  if (policy.surface === 'shell' || policy.keyEnv.includes(name) || isApiKeyName(name)) return null;
  const why = `environment variable ${name} is not one this ${policy.surface === 'http' ? 'host' : 'app'} may read as a key (API key names end in _API_KEY, _KEY or _TOKEN, and cloud or code-host credentials are excluded)`;
  return policy.surface === 'http' ? `${why}: restart with switchyard serve --key-env ${name}` : `${why}: add the provider from your shell with switchyard providers add <id> --api-key-env ${name}`;
}

/**
 * Where a base URL sends its requests: scheme, host and port. A path change on
 * the same host keeps the key; another host, port or scheme does not.
 * @example keyOrigin('https://API.openai.com:443/v1') // 'https://api.openai.com'
 */
export function keyOrigin(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** How an origin reads in a message: the host alone for https, the whole origin otherwise. */
export function showOrigin(origin: string): string {
  return origin.startsWith('https://') ? origin.slice('https://'.length) : origin;
}

/** The binding's key: a reference, never key material. */
export function bindingRef(ref: KeyRef): string {
  return ref.kind === 'env' ? `env:${ref.name}` : `secret:${ref.id}`;
}

/**
 * The one line refusing to send `ref` to `baseUrl` because it is bound to
 * `bound`; `known` when the binding is the catalog's (a well-known variable
 * never used yet) rather than a first use.
 */
export function bindingRefusal(ref: KeyRef, providerId: string, bound: string, baseUrl: string, known = false): string {
  const wanted = showOrigin(keyOrigin(baseUrl));
  const where = `${known ? 'belongs to' : 'was first used with'} ${showOrigin(bound)}`;
  if (ref.kind === 'secret') return `the stored key of provider ${providerId} ${where}; to send it to ${wanted}, paste the key again`;
  return `key ${ref.name} ${where}; to send it to ${wanted}, enter it again from your shell: switchyard providers add ${providerId} --base-url ${baseUrl} --api-key-env ${ref.name}`;
}
