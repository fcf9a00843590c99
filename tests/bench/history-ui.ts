/**
 * History's UI over the 100,000-run history (history-seed.ts), in the built
 * renderer in Chromium through the headless host: open the view, scroll the
 * list down through 20 pages, search a common word, open runs. Counts the
 * page's long tasks (> 50 ms) while doing it, and how long each step took to
 * show on the page (host, HTTP and rendering included).
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { startHost, type Host } from '../../electron/host/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { SEED, vocabulary } from './history-seed';

export interface HistoryUiBench {
  openListMs: number;
  rowsLoaded: number;
  /** Each scroll to the end of the list until the next page's rows are on the page. */
  nextPageMs: number[];
  searchCommonMs: number;
  openRunMs: number[];
  longTasksOver50ms: number;
  maxLongTaskMs: number;
  longTasks: Array<{ step: string; ms: number }>;
  /** The page's main-thread CPU time for each step (Chromium's thread ticks): what a step costs, whatever else the machine runs. */
  pageCpuMs: Record<string, number>;
}

const PROBE_START = `(() => {
  const s = { longTasks: [] };
  s.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) s.longTasks.push([e.startTime, e.duration]); });
  s.observer.observe({ type: 'longtask' });
  globalThis.__histBench = s;
})()`;
const LONG_TASKS = `globalThis.__histBench.longTasks.splice(0)`;
const ROWS = `document.querySelector('[data-testid="history-list"] > div')?.getBoundingClientRect().height ?? 0`;
const TO_END = `(() => { const l = document.querySelector('[data-testid="history-list"]'); l.scrollTop = l.scrollHeight; })()`;

async function until(page: import('@playwright/test').Page, expr: string, ok: (v: unknown) => boolean, what: string): Promise<void> {
  // Polled: waitForFunction evals a string in the page, which the CSP refuses.
  for (const deadline = Date.now() + 30_000; !ok(await page.evaluate(expr)); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not on the page after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchHistoryUi(dataDir: string, runs: number): Promise<HistoryUiBench> {
  if (!existsSync('dist/renderer/index.html')) throw new Error('dist/renderer missing: run `npm run build:renderer` first');
  let host: Host | null = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const longTasks: Array<{ step: string; ms: number }> = [];
  try {
    host = await startHost({ dataDir, port: 0, host: '127.0.0.1' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByTestId('nav-compare').waitFor();
    await page.evaluate(PROBE_START);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0;
    const pageCpuMs: Record<string, number> = {};
    let cpuMark = await threadTime();
    const collect = async (step: string) => {
      for (const [, ms] of (await page.evaluate(LONG_TASKS)) as Array<[number, number]>) longTasks.push({ step, ms: Math.round(ms) });
      const now = await threadTime();
      pageCpuMs[step] = Math.round((now - cpuMark) * 1000);
      cpuMark = now;
    };

    let t = performance.now();
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-row').first().waitFor();
    const openListMs = performance.now() - t;
    await collect('open the list');

    const nextPageMs: number[] = [];
    for (let i = 0; i < Math.min(20, Math.ceil(runs / 100) - 1); i++) {
      const before = (await page.evaluate(ROWS)) as number;
      t = performance.now();
      await page.evaluate(TO_END);
      await until(page, ROWS, (h) => (h as number) > before, `page ${i + 2}`);
      nextPageMs.push(performance.now() - t);
    }
    const rowsLoaded = await page.evaluate(`document.querySelector('[data-testid="history-list"] > div').getBoundingClientRect().height / 62`) as number;
    await collect('scroll 20 pages');

    const word = vocabulary(SEED.vocabulary)[0]!;
    const firstBefore = await page.getByTestId('history-row').first().getAttribute('data-run-id');
    t = performance.now();
    await page.getByTestId('history-search').fill(word);
    // The view waits 200 ms after the last keystroke before it asks: that wait is not the search's.
    await until(page, `document.querySelector('[data-testid="history-row"]')?.getAttribute('data-run-id')`, (id) => id !== null && id !== firstBefore, 'search results');
    const searchCommonMs = performance.now() - t - 200;
    await collect('search a common word');

    const openRunMs: number[] = [];
    const rows = page.getByTestId('history-row');
    for (let i = 1; i <= 5; i++) {
      const id = await rows.nth(i).getAttribute('data-run-id');
      t = performance.now();
      await rows.nth(i).click();
      await page.locator(`[data-testid="history-detail"][data-run-id="${id}"]`).waitFor();
      openRunMs.push(performance.now() - t);
    }
    await collect('open runs');
    return {
      openListMs, rowsLoaded: Math.round(rowsLoaded), nextPageMs, searchCommonMs, openRunMs,
      longTasksOver50ms: longTasks.filter((l) => l.ms > 50).length, maxLongTaskMs: Math.max(0, ...longTasks.map((l) => l.ms)), longTasks, pageCpuMs,
    };
  } finally {
    await browser.close();
    await host?.close();
  }
}
