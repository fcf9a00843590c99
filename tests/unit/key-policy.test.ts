/** The documented rules for key variables and where a key may be sent (electron/engine/key-policy.ts). */
import { describe, expect, it } from 'vitest';
import { bindingRef, bindingRefusal, envRefusal, isApiKeyName, keyOrigin, SHELL_POLICY } from '../../electron/engine/key-policy';

describe('API key variable names', () => {
  it.each(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GROQ_API_KEY', 'HF_TOKEN', 'MISTRAL_API_KEY', 'MY_LLM_KEY', 'AZURE_API_KEY', 'SWITCHYARD_E2E_KEY'])('%s is one', (name) => {
    expect(isApiKeyName(name)).toBe(true);
  });

  it.each([
    'HOME', 'PATH', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK', 'GITHUB_TOKEN', 'GH_TOKEN', 'GITLAB_TOKEN', 'NPM_TOKEN',
    'NODE_AUTH_TOKEN', 'CLOUDFLARE_API_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN', 'DJANGO_SECRET_KEY', 'JWT_SIGNING_KEY', 'STRIPE_SECRET_KEY', 'SSH_AUTH_SOCK',
    'OPENAI_ADMIN_KEY', 'DATABASE_PASSWORD_KEY', 'openai_api_key', '_KEY', 'KEY', 'TOKEN',
  ])('%s is not', (name) => {
    expect(isApiKeyName(name)).toBe(false);
  });

  it('lets the host name a variable outside the pattern only when --key-env named it, and the shell anything', () => {
    const host = { surface: 'http' as const, keyEnv: ['MY_LLM_SECRET'] };
    expect(envRefusal('MY_LLM_SECRET', host)).toBeNull();
    expect(envRefusal('OPENAI_API_KEY', host)).toBeNull();
    expect(envRefusal('HOME', host)).toMatch(/^environment variable HOME is not one this host may read as a key .*: restart with switchyard serve --key-env HOME$/);
    expect(envRefusal('HOME', { surface: 'ipc', keyEnv: [] })).toMatch(/^environment variable HOME is not one this app may read as a key .*: add the provider from your shell with switchyard providers add <id> --api-key-env HOME$/);
    expect(envRefusal('HOME', SHELL_POLICY)).toBeNull();
  });
});

describe('key origins', () => {
  it('are scheme, host and port: a path is the same host, a port or scheme is not', () => {
    expect(keyOrigin('https://API.openai.com:443/v1')).toBe('https://api.openai.com');
    expect(keyOrigin('https://api.openai.com/other')).toBe(keyOrigin('https://api.openai.com/v1'));
    expect(keyOrigin('http://api.openai.com/v1')).not.toBe(keyOrigin('https://api.openai.com/v1'));
    expect(keyOrigin('http://127.0.0.1:4000/v1')).not.toBe(keyOrigin('http://127.0.0.1:4001/v1'));
  });

  it('refuse in one line that says how to enter the key again', () => {
    expect(bindingRef({ kind: 'env', name: 'OPENAI_API_KEY' })).toBe('env:OPENAI_API_KEY');
    expect(bindingRef({ kind: 'secret', id: 'key:openai', last4: 'abcd' })).toBe('secret:key:openai');
    expect(bindingRefusal({ kind: 'env', name: 'OPENAI_API_KEY' }, 'openai', 'https://api.openai.com', 'https://evil.example/v1')).toBe(
      'key OPENAI_API_KEY was first used with api.openai.com; to send it to evil.example, enter it again from your shell: switchyard providers add openai --base-url https://evil.example/v1 --api-key-env OPENAI_API_KEY',
    );
    expect(bindingRefusal({ kind: 'secret', id: 'key:openai', last4: 'abcd' }, 'openai', 'https://api.openai.com', 'http://10.0.0.5:8080/v1')).toBe(
      'the stored key of provider openai was first used with api.openai.com; to send it to http://10.0.0.5:8080, paste the key again',
    );
  });
});
