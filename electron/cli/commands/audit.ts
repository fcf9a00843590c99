/** `switchyard audit verify|export|show|search-sent`: the tamper-evident log (electron/audit). */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { CliExit, EXIT_NOT_OK, EXIT_OK, EXIT_USAGE, type WithCtx } from '../errors';
import { num } from '../parse';
import { table } from '../output';
import { parseSince } from './spend';
import { quote } from '../../../shared/quote';
import { describeSystemError, showPath } from '../../engine/system-errors';
import { AUDIT_KINDS } from '../../audit/entries';
import { exportLog, listEntries, searchSent, summarize, verifyStore } from '../../audit/read';

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliExit(`${flag}: ${describeSystemError(err, { action: 'read', path }) ?? `cannot read ${showPath(path)}`}`, EXIT_USAGE);
  }
}

function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new CliExit(describeSystemError(err, { action: 'write', path }) ?? `cannot write ${showPath(path)}`, EXIT_USAGE);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerAudit(program: Command, withCtx: WithCtx) {
  const audit = program.command('audit').description('the tamper-evident log of every send, refusal and change');
  audit
    .command('verify')
    .description('recompute the Merkle tree from the entries and check every signed checkpoint; with --checkpoint, prove the log only grew since that one')
    .option('--checkpoint <file>', 'an older checkpoint: a signed note, or a file written by audit export')
    .option('--json', 'print JSON')
    .action(async (f: { checkpoint?: string; json?: boolean }) => {
      const external = f.checkpoint !== undefined ? readText(f.checkpoint, '--checkpoint') : null;
      await withCtx(async (ctx) => {
        const report = verifyStore(ctx.store, ctx.audit, external);
        // Only a log that verifies gets a new signed head: signing a damaged one would bless the damage.
        const readOnly = ctx.store.db.readonly;
        const before = ctx.store.audit.latestCheckpoint()?.id ?? null;
        const head = report.ok && !readOnly ? await ctx.audit.checkpoint() : null;
        const signed = head && head.id !== before ? head : null;
        if (f.json) {
          process.stdout.write(JSON.stringify({ ...report, checkpoint: head ? { size: head.tree_size, note: head.note, new: signed !== null } : null }, null, 2) + '\n');
        } else {
          for (const p of report.problems) process.stdout.write(`${p.message}\n`);
          if (report.ok) {
            process.stdout.write(`audit log verified: ${report.entries} entr${report.entries === 1 ? 'y' : 'ies'}, ${report.checkpointsChecked} checkpoint${report.checkpointsChecked === 1 ? '' : 's'} checked, root ${report.root}\n`);
            if (report.external) process.stdout.write(`consistent with the checkpoint file: its ${report.external.size} entries are the first ${report.external.size} of today's ${report.size} (proof of ${report.external.proof.length} hashes, signed by ${report.external.signedBy})\n`);
            if (signed) process.stdout.write(`checkpoint signed at size ${signed.tree_size}\n`);
            else if (readOnly) process.stdout.write('read-only data directory: no new checkpoint signed\n');
            else if (head) process.stdout.write(`the latest checkpoint already covers all ${head.tree_size}\n`);
          }
        }
        if (!report.ok) throw new CliExit(`the audit log does not verify: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}, the first: ${report.problems[0]!.message}`, EXIT_NOT_OK);
        return EXIT_OK;
      }, 'read');
    });
  audit
    .command('export')
    .description('entries as JSON lines, with the latest signed checkpoint and the public key')
    .option('--since <date>', 'a date (2026-11-01) or a span (7d, 4w, 3m)')
    .option('--out <file>', 'where to write (default: standard output)')
    .action(async (f: { since?: string; out?: string }) => {
      const since = parseSince(f.since);
      await withCtx(async (ctx) => {
        const { text, entries, size } = await exportLog(ctx.store, ctx.audit, since);
        if (f.out) writeText(f.out, text);
        else process.stdout.write(text);
        ctx.audit.append({ kind: 'export', what: 'audit', runIds: [], format: 'jsonl', to: f.out ? 'file' : 'stdout', entries });
        if (f.out) process.stdout.write(`exported ${entries} audit entr${entries === 1 ? 'y' : 'ies'} and the checkpoint of ${size} to ${showPath(f.out)}\n`);
        return EXIT_OK;
      }, 'read');
    });
  audit
    .command('show')
    .description('recent entries, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many entries', num('--limit', 1, 1_000_000, true), 50)
    .option('--kind <kind>', `only this kind (${AUDIT_KINDS.join(', ')})`)
    .action(async (f: { json?: boolean; limit: number; kind?: string }) => {
      if (f.kind !== undefined && !(AUDIT_KINDS as string[]).includes(f.kind)) throw new CliExit(`invalid --kind ${quote(f.kind)}: expected one of ${AUDIT_KINDS.join(', ')}`, EXIT_USAGE);
      await withCtx(async (ctx) => {
        const rows = listEntries(ctx.store, { limit: f.limit, kind: f.kind });
        if (f.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else if (!rows.length) process.stdout.write(f.kind ? `no ${f.kind} entries\n` : 'no audit entries yet\n');
        else process.stdout.write(table(['seq', 'at (UTC)', 'kind', 'what'], rows.map((r) => [String(r.seq), r.at.replace('T', ' ').slice(0, 19), r.kind, summarize(r)])) + '\n');
        return EXIT_OK;
      }, 'read');
    });
  audit
    .command('search-sent')
    .description('did this string ever leave? checks it against salted hashes of what each request contained (give - to read it from standard input, out of your shell history)')
    .argument('<string>')
    .option('--json', 'print JSON')
    .action(async (arg: string, f: { json?: boolean }) => {
      const query = arg === '-' ? await readStdin() : arg;
      if (query.trim().length < 4) throw new CliExit('give at least 4 characters to search for (shorter pieces are not indexed)', EXIT_USAGE);
      await withCtx(async (ctx) => {
        const r = searchSent(ctx.store, query);
        if (f.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else if (!r.hits.length) {
          process.stdout.write(`not found in any of ${r.sends} recorded send${r.sends === 1 ? '' : 's'}${r.partial ? ` (${r.partial} held some of its tokens, not all)` : ''}\n`);
        } else {
          process.stdout.write(table(['seq', 'at (UTC)', 'run', 'sent to', 'match'], r.hits.map((h) => [
            String(h.seq), h.at?.replace('T', ' ').slice(0, 19) ?? '-', h.runId ?? '-', h.endpoint ?? '-',
            `${h.whole ? 'whole string' : `all ${h.tokens} tokens`}${h.tampered ? ' (index row does not match its entry)' : ''}`,
          ])) + '\n');
        }
        // Found is the answer "yes, it left": a check that failed, as `audit verify` finding damage is.
        return r.hits.length ? EXIT_NOT_OK : EXIT_OK;
      }, 'read');
    });
}
