/** `switchyard history stats`: the size of history, read from the same database the app writes. */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/store';
import { CompareRequest } from '../../shared/domain';
import { CliSandbox, cleanupCli, parseJsonOutput } from './cli-helpers';

afterAll(cleanupCli);

/** Writes `n` finished runs of `columns` columns straight through the store, as the engine would. */
function seedRuns(dataDir: string, n: number, columns: number): void {
  const store = openStore(dataDir);
  try {
    for (let i = 0; i < n; i++) {
      const runId = `run${i}`;
      const targets = Array.from({ length: columns }, (_, c) => `a:m${c}`);
      const request = CompareRequest.parse({ messages: [{ role: 'user', content: `prompt ${i}` }], targets });
      store.runs.createRun({ runId, createdAt: 1_767_225_600_000 + i, request, columns: targets.map((target, index) => ({ columnId: `${runId}c${index}`, index, target })), pid: process.pid });
      for (let c = 0; c < columns; c++) store.runs.saveText(`${runId}c${c}`, 'an answer of some length '.repeat(40), '', 0);
      store.runs.finishRun(runId, 0);
    }
  } finally {
    store.close();
  }
}

describe('switchyard history stats', () => {
  it('says how many runs and answers there are and how big the database is, in one line or as JSON', async () => {
    const sb = new CliSandbox();
    const empty = await sb.json<{ runs: number; columns: number; dbBytes: number; walBytes: number; file: string }>(['history', 'stats', '--json']);
    expect(empty).toMatchObject({ runs: 0, columns: 0, file: sb.dbFile });
    expect(empty.dbBytes).toBeGreaterThan(0);

    seedRuns(sb.dataDir, 30, 3);
    const [json, human] = await Promise.all([sb.run(['history', 'stats', '--json']), sb.run(['history', 'stats'])]);
    expect(json.code, json.stderr).toBe(0);
    const st = parseJsonOutput<typeof empty>(json);
    expect(st).toMatchObject({ runs: 30, columns: 90 });
    // 90 answers of 1,000 characters, stored with their full-text index: well past the empty file, WAL or not.
    expect(st.dbBytes + st.walBytes).toBeGreaterThan(empty.dbBytes + 90_000);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toMatch(/^30 runs, 90 answers; database \d+(\.\d)? (KB|MB) \+ WAL \d+(\.\d)? (KB|MB) \(.*switchyard\.db\)\n$/);
  });
});
