/**
 * Spreads expensive UI work (markdown parses) over separate tasks with a time
 * budget each, so 16 columns wanting a parse in the same frame never add up to
 * one long task. Keyed: a newer request for the same key replaces the older.
 */
export interface WorkQueueDeps {
  now(): number;
  schedule(run: () => void): void;
}

export class WorkQueue {
  private jobs = new Map<unknown, () => void>();
  private scheduled = false;

  constructor(
    private readonly budgetMs: number,
    private readonly deps: WorkQueueDeps = { now: () => performance.now(), schedule: (run) => void setTimeout(run, 0) },
  ) {}

  request(key: unknown, job: () => void): void {
    // Re-inserting moves the key to the back: the longest-waiting column goes first.
    this.jobs.delete(key);
    this.jobs.set(key, job);
    if (!this.scheduled) {
      this.scheduled = true;
      this.deps.schedule(() => this.run());
    }
  }

  cancel(key: unknown): void {
    this.jobs.delete(key);
  }

  get size(): number {
    return this.jobs.size;
  }

  private run(): void {
    this.scheduled = false;
    const start = this.deps.now();
    for (const [key, job] of this.jobs) {
      this.jobs.delete(key);
      job();
      if (this.deps.now() - start >= this.budgetMs) break;
    }
    if (this.jobs.size > 0) {
      this.scheduled = true;
      this.deps.schedule(() => this.run());
    }
  }
}

/** Shared by every column: one budget for all of them is what keeps a frame smooth. */
export const parseQueue = new WorkQueue(8);
