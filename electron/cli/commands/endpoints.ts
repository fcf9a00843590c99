/** `switchyard endpoints`: this machine's own health record per endpoint. */
import type { Command } from 'commander';
import { EXIT_OK, type WithCtx } from '../errors';
import { endpointsReport } from '../../app/reports';
import { fmtMs, fmtTps, table } from '../output';


export function registerEndpoints(program: Command, withCtx: WithCtx) {
  program
    .command('endpoints')
    .description('health of each endpoint from your own recorded attempts (error rate, TTFT p50/p95, tok/s, breaker)')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }) => {
      await withCtx(async (ctx) => {
        const rows = endpointsReport(ctx);
        if (f.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else if (!rows.length) process.stdout.write('no attempts recorded in the health window yet\n');
        else
          process.stdout.write(
            table(
              ['endpoint', 'samples', 'errors', 'TTFT p50', 'TTFT p95', 'tok/s', 'breaker', 'note'],
              rows.map((r) => [r.endpointId, String(r.samples), `${Math.round(r.errorRate * 100)}%`, fmtMs(r.ttftP50Ms), fmtMs(r.ttftP95Ms), fmtTps(r.tokensPerSecond), r.breaker, r.misconfigured ?? '']),
            ) + '\n',
          );
        return EXIT_OK;
      }, 'read');
    });
}
