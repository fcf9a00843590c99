import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../renderer/lib/workQueue';

function harness(budgetMs: number) {
  let clock = 0;
  const tasks: Array<() => void> = [];
  const q = new WorkQueue(budgetMs, { now: () => clock, schedule: (run) => void tasks.push(run) });
  return { q, tasks, spend: (ms: number) => (clock += ms) };
}

describe('work queue', () => {
  it('runs jobs in a later task, within a time budget per task', () => {
    const { q, tasks, spend } = harness(8);
    const ran: string[] = [];
    for (const k of ['a', 'b', 'c', 'd']) q.request(k, () => (ran.push(k), spend(5)));
    expect(ran).toEqual([]);
    expect(tasks).toHaveLength(1);
    tasks.shift()!();
    expect(ran).toEqual(['a', 'b']);
    expect(tasks).toHaveLength(1);
    tasks.shift()!();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    expect(tasks).toHaveLength(0);
  });

  it('keeps only the newest job per key, and cancels', () => {
    const { q, tasks } = harness(8);
    const ran: string[] = [];
    q.request('col1', () => ran.push('old'));
    q.request('col2', () => ran.push('other'));
    q.request('col1', () => ran.push('new'));
    q.request('col3', () => ran.push('gone'));
    q.cancel('col3');
    tasks.shift()!();
    expect(ran).toEqual(['other', 'new']);
  });
});
