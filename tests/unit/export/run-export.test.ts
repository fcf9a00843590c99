import { Lexer, type Tokens } from 'marked';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { RunResult } from '../../../shared/domain';
import { EXPORT_CSP } from '../../../shared/export/html';
import { exportFilename, exportRuns } from '../../../shared/export/run-export';
import { HOSTILE, parseCsv, sampleRun } from './fixtures';

describe('run export', () => {
  it('JSON is the compare --json shape and parses back to the same run', () => {
    const run = sampleRun();
    const parsed = JSON.parse(exportRuns([run], 'json')) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['columns', 'runId']);
    expect(RunResult.parse(parsed)).toEqual({ runId: run.runId, columns: run.columns });
    // Several runs: an array, in the order asked.
    const two = JSON.parse(exportRuns([run, sampleRun('r_other')], 'json')) as Array<{ runId: string }>;
    expect(two.map((r) => r.runId)).toEqual(['r_export1', 'r_other']);
  });

  it('JSON carries fields a run gains (a conversation\'s turns) without knowing them', () => {
    const turns = [{ turn: 0, prompt: 'first', createdAt: 1, columns: [0] }, { turn: 1, prompt: 'follow-up', createdAt: 2, columns: [0] }];
    const run: RunResult = { ...sampleRun(), turns };
    expect(JSON.parse(exportRuns([run], 'json'))).toHaveProperty('turns', turns);
  });

  it('CSV is RFC 4180: one row per column, awkward text quoted, numbers as numbers', () => {
    const rows = parseCsv(exportRuns([sampleRun(), sampleRun('r_two')], 'csv'));
    const [head, ...body] = rows;
    expect(body).toHaveLength(4);
    const at = (name: string) => head!.indexOf(name);
    expect(at('run_id')).toBe(0);
    expect(body.map((r) => [r[at('run_id')], r[at('column')], r[at('status')]])).toEqual([
      ['r_export1', '1', 'ok'], ['r_export1', '2', 'error'], ['r_two', '1', 'ok'], ['r_two', '2', 'error'],
    ]);
    const ok = body[0]!;
    expect([ok[at('ttft_ms')], ok[at('total_ms')], ok[at('tokens_per_second')], ok[at('input_tokens')], ok[at('output_tokens')], ok[at('cost_usd')]]).toEqual(['120', '901', '53.25', '12', '42', '0.000123']);
    expect(body[1]![at('error')]).toBe('401 from mock: bad key [redacted key …abcd]');
    expect(body[1]![at('cost_usd')]).toBe('');
    for (const r of rows) expect(r).toHaveLength(head!.length);
  });

  it('CSV defuses a text cell a spreadsheet would run as a formula', () => {
    const run = sampleRun();
    run.columns[1]!.error = '=HYPERLINK("http://evil")';
    const rows = parseCsv(exportRuns([run], 'csv'));
    expect(rows[2]![rows[0]!.indexOf('error')]).toBe('\'=HYPERLINK("http://evil")');
  });

  it('CSV has a row per turn and column when the run is a conversation', () => {
    const run = sampleRun();
    // The conversation shape of compare --json: the run's turns, and each column's own turns (column 2 answered only the first).
    const [c0, c1] = run.columns as [RunResult['columns'][number], RunResult['columns'][number]];
    const conv: RunResult = {
      ...run,
      turns: [{ turn: 0, prompt: 'p', createdAt: 1, columns: [0, 1] }, { turn: 1, prompt: 'q', createdAt: 2, columns: [0] }],
      columns: [
        { ...c0, turns: [{ ...c0, turn: 0, prompt: 'p' }, { ...c0, turn: 1, prompt: 'q' }] },
        { ...c1, turns: [{ ...c1, turn: 0, prompt: 'p' }] },
      ],
    };
    const [head, ...body] = parseCsv(exportRuns([conv], 'csv'));
    expect(body.map((r) => [r[head!.indexOf('turn')], r[head!.indexOf('column')]])).toEqual([['1', '1'], ['1', '2'], ['2', '1']]);
  });

  it('Markdown: a heading per run, the prompt fenced whole, a metrics table, each answer under its own heading', () => {
    const md = exportRuns([sampleRun(), sampleRun('r_two')], 'md');
    const tokens = new Lexer().lex(md);
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((t) => [t.depth, t.text]);
    expect(headings).toEqual([
      [1, 'Run r_export1'], [2, '[1] mock:model-0'], [2, '[2] mock:model-1'],
      [1, 'Run r_two'], [2, '[1] mock:model-0'], [2, '[2] mock:model-1'],
    ]);
    const code = tokens.filter((t): t is Tokens.Code => t.type === 'code').map((t) => t.text);
    // The prompt's own ``` does not close its fence early.
    expect(code).toContain(`Explain ${HOSTILE}`);
    expect(code).toContain('Be brief');
    const tables = tokens.filter((t): t is Tokens.Table => t.type === 'table');
    expect(tables).toHaveLength(2);
    expect(tables[0]!.header.map((h) => h.text)).toEqual(['#', 'target', 'served by', 'status', 'TTFT', 'total', 'tok/s', 'tokens in', 'tokens out', 'cost']);
    expect(tables[0]!.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['1', 'mock:model-0', 'mock:model-0', 'ok', '120 ms', '901 ms', '53.3', '12', '42', '$0.000123'],
      ['2', 'mock:model-1', '-', 'error', '-', '-', '-', '-', '-', '-'],
    ]);
    expect(md).toContain('> error: 401 from mock: bad key');
  });

  it('HTML: self-contained, a CSP that allows no connection, every answer escaped', () => {
    const html = exportRuns([sampleRun()], 'html');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<link|src=|href=|@import|url\(/i);
    const win = new Window();
    const doc = win.document;
    doc.write(html);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(EXPORT_CSP);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    const pres = [...doc.querySelectorAll('pre')].map((p) => p.textContent);
    expect(pres).toContain(`Here is **markdown** and ${HOSTILE}`);
    const cells = [...doc.querySelectorAll('table.metrics tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells[0]!.slice(0, 4)).toEqual(['1', 'mock:model-0', 'mock:model-0', 'ok']);
    expect(doc.querySelector('.error')?.textContent).toBe('error: 401 from mock: bad key [redacted key …abcd]');
    void win.happyDOM.close();
  });

  it('names the file after the run, or the count and the day for several', () => {
    expect(exportFilename([sampleRun()], 'csv')).toBe('switchyard-r_export1.csv');
    expect(exportFilename([sampleRun(), sampleRun('b')], 'html', Date.UTC(2026, 11, 3))).toBe('switchyard-2-runs-2026-12-03.html');
    expect(() => exportRuns([], 'md')).toThrow('nothing to export');
  });
});
