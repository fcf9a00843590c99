/** `switchyard serve`: the workbench UI in any browser, on loopback, behind a per-launch token. */
import { InvalidArgumentError, type Command } from 'commander';
import { spawn } from 'node:child_process';
import { startHost, isLoopback } from '../../host/server';
import { num } from '../parse';

const KEY_HELP = `
Keys through the browser:
  The UI may name as a key only a variable given with --key-env, or one named like
  an API key (^[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)$), except cloud and code-host
  credentials (AWS_*, GITHUB_*, GH_*, CLOUDFLARE_*, … and names with SECRET, PASSWORD,
  PRIVATE, SESSION, …). A key is bound to the host it was first used with; sending it
  to another host needs it entered again at your shell:
    switchyard providers add <id> --base-url <url> --api-key-env <VAR>
Requests whose Host header is not 127.0.0.1, localhost or [::1] with this port get 421.`;

function envName(v: string, prev: string[] = []): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new InvalidArgumentError(`"${v}" is not an environment variable name (letters, digits and _, not starting with a digit)`);
  return [...prev, v];
}

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the workbench UI and API on 127.0.0.1 (prints a URL with a one-time token)')
    .option('--port <n>', 'port (0 = any free port)', num('--port', 0, 65535, true), 7420)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding to a non-loopback address (exposes your keys\' power to that network)')
    .option('--key-env <var>', 'let the UI read this environment variable as a key even if not named like one (repeatable)', envName)
    .option('--open', 'open the URL in your browser')
    .addHelpText('after', KEY_HELP)
    .action(async (f: { port: number; host: string; allowRemote?: boolean; keyEnv?: string[]; open?: boolean }) => {
      if (!isLoopback(f.host) && f.allowRemote) process.stderr.write(`switchyard: WARNING: binding to ${f.host}: anyone who can reach it and has the token can spend your API keys\n`);
      // A failure to start is thrown to the CLI's one-line handler.
      const host = await startHost({ port: f.port, host: f.host, allowRemote: f.allowRemote, keyEnv: f.keyEnv });
      process.stdout.write(`Switchyard workbench: ${host.url}\n(Ctrl-C to stop)\n`);
      for (const name of f.keyEnv ?? []) if (!process.env[name]) process.stderr.write(`switchyard: note: --key-env ${name}: that variable is not set in this shell\n`);
      if (f.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        spawn(opener, [host.url], { stdio: 'ignore', detached: true }).on('error', () => process.stderr.write('switchyard: could not open a browser; open the URL above\n')).unref();
      }
      const stop = () => void host.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
