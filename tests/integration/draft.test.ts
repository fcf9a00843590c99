/** settings:save-draft / get-draft: the compare form kept in the real SQLite file, across a restart of the engine. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../electron/app/services';
import { userCatalogPath } from '../../electron/engine/catalog/load';

const dirs: string[] = [];
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir: string): App {
  const app = createApp({ dataDir: dir, transport: 'http', env: {} });
  apps.push(app);
  return app;
}

describe('the saved draft', () => {
  it('is none at first, then what was saved last, after a restart too; unknown fields kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-draft-'));
    dirs.push(dir);
    writeFileSync(userCatalogPath(dir), JSON.stringify({ asOf: '2025-01-01', source: 'test', license: 'none', providers: [], models: [], endpoints: [], overrides: [] }));
    const first = open(dir);
    expect(await first.handlers.settings.getDraft({})).toEqual({ draft: null });
    const draft = { prompt: 'Explain WAL', system: 'Be brief', temperature: '0.2', targets: ['mock:m1'], attachments: [{ sha256: 'ab12' }] };
    await first.handlers.settings.saveDraft({ draft: { ...draft, prompt: 'older' } });
    await first.handlers.settings.saveDraft({ draft });
    await first.close();
    apps.length = 0;

    const again = open(dir);
    expect(await again.handlers.settings.getDraft({})).toEqual({ draft });
  });
});
