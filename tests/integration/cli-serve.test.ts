/**
 * `switchyard serve` and `providers add` as the user runs them: the real CLI
 * process on a real data directory. Binding a non-loopback address needs
 * --allow-remote and warns; the user at the shell is the one who can send a
 * key to a new host, by naming it again with --api-key-env.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox, cleanupCli, expectOneLineError, CLI_TIMEOUT_MS, type RunningCli } from './cli-helpers';
import { startMockProviders, type MockProviders } from '../mocks/provider-server';

afterEach(cleanupCli);

/** Resolves with the first stdout line matching `re`, or fails when the process exits first. */
function lineOf(cli: RunningCli, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = cli.stdout().split('\n').find((l) => re.test(l));
      if (line !== undefined) {
        cli.child.stdout!.off('data', check);
        resolve(line);
      }
    };
    cli.child.stdout!.on('data', check);
    void cli.exited.then((r) => reject(new Error(`exited (${r.code}) before printing ${re}: ${r.stderr}`)));
    check();
  });
}

describe('switchyard serve', () => {
  it('refuses a non-loopback address without --allow-remote, in one line', async () => {
    const r = await new CliSandbox().run(['serve', '--host', '0.0.0.0', '--port', '0']);
    expectOneLineError(r, 1, /^switchyard: refusing to bind to 0\.0\.0\.0: only loopback by default \(pass --allow-remote to expose Switchyard on your network\)$/);
    expect(r.stdout).toBe('');
  });

  it('binds with --allow-remote, warns on stderr, and prints a URL this machine can open', async () => {
    const cli = new CliSandbox().start(['serve', '--host', '0.0.0.0', '--port', '0', '--allow-remote']);
    const line = await lineOf(cli, /^Switchyard workbench: /);
    const url = /^Switchyard workbench: (http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+))$/.exec(line);
    expect(url, line).not.toBeNull();
    expect(cli.stderr()).toBe('switchyard: WARNING: binding to 0.0.0.0: anyone who can reach it and has the token can spend your API keys\n');
    const res = await fetch(`http://127.0.0.1:${url![2]}/api/rpc/providers:list-providers`, { method: 'POST', headers: { authorization: `Bearer ${url![3]}` }, body: '{}' });
    expect(res.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  }, CLI_TIMEOUT_MS);

  it('takes --key-env only as a variable name', async () => {
    const r = await new CliSandbox().run(['serve', '--port', '0', '--key-env', 'NOT-A-NAME']);
    expectOneLineError(r, 1, /"NOT-A-NAME" is not an environment variable name/);
  });
});

describe('providers add: the user at the shell', () => {
  let first: MockProviders;
  let second: MockProviders;
  beforeAll(async () => {
    first = await startMockProviders();
    second = await startMockProviders();
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('moves a key to a new host only when it is named again with --api-key-env', async () => {
    const sb = new CliSandbox({ SY_CLI_API_KEY: 'sk-cli-7777' });
    expect((await sb.run(['providers', 'add', 'p', '--type', 'openai', '--base-url', first.baseUrls.openai, '--api-key-env', 'SY_CLI_API_KEY'])).code).toBe(0);
    expect((await sb.run(['providers', 'test', 'p'])).code).toBe(0);

    const moved = await sb.run(['providers', 'add', 'p', '--type', 'openai', '--base-url', second.baseUrls.openai]);
    const origin = (m: MockProviders) => new URL(m.url).origin;
    expectOneLineError(moved, 1, new RegExp(`^switchyard: key SY_CLI_API_KEY was first used with ${origin(first)}; to send it to ${origin(second)}, enter it again from your shell: switchyard providers add p --base-url ${second.baseUrls.openai} --api-key-env SY_CLI_API_KEY$`));
    expect(second.requests).toEqual([]);

    expect((await sb.run(['providers', 'add', 'p', '--type', 'openai', '--base-url', second.baseUrls.openai, '--api-key-env', 'SY_CLI_API_KEY'])).code).toBe(0);
    expect((await sb.run(['providers', 'test', 'p'])).code).toBe(0);
    expect(second.requests.map((r) => r.keyLast4)).toEqual(['7777']);
  }, CLI_TIMEOUT_MS * 2);
});
