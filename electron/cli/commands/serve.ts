/** `switchyard serve`: the workbench UI in any browser, on loopback, behind a per-launch token. */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { startHost, isLoopback } from '../../host/server';
import { num } from '../parse';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the workbench UI and API on 127.0.0.1 (prints a URL with a one-time token)')
    .option('--port <n>', 'port (0 = any free port)', num('--port', 0, 65535, true), 7420)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding to a non-loopback address (exposes your keys\' power to that network)')
    .option('--open', 'open the URL in your browser')
    .action(async (f: { port: number; host: string; allowRemote?: boolean; open?: boolean }) => {
      if (!isLoopback(f.host) && f.allowRemote) process.stderr.write(`switchyard: WARNING: binding to ${f.host}: anyone who can reach it and has the token can spend your API keys\n`);
      // A failure to start is thrown to the CLI's one-line handler.
      const host = await startHost({ port: f.port, host: f.host, allowRemote: f.allowRemote });
      process.stdout.write(`Switchyard workbench: ${host.url}\n(Ctrl-C to stop)\n`);
      if (f.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        spawn(opener, [host.url], { stdio: 'ignore', detached: true }).on('error', () => process.stderr.write('switchyard: could not open a browser; open the URL above\n')).unref();
      }
      const stop = () => void host.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
