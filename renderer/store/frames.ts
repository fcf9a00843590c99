/**
 * Buffers streamed events and hands them over once per animation frame, so a
 * burst of deltas (16 columns x 100 tokens/s) costs one store update and one
 * React commit per frame instead of one per token.
 */
export interface FrameScheduler {
  request(cb: () => void): () => void;
}

/**
 * requestAnimationFrame, raced against a timer: rAF stops in a hidden tab and
 * the buffer must still drain (it would otherwise grow for the whole run).
 */
export const browserFrames: FrameScheduler = {
  request(cb) {
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      cb();
    };
    const raf = requestAnimationFrame(run);
    const timer = setTimeout(run, 250);
    return () => {
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    };
  },
};

export class FrameBatcher<T> {
  private queue: T[] = [];
  private cancel: (() => void) | null = null;

  constructor(
    private readonly commit: (items: T[]) => void,
    private readonly frames: FrameScheduler,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    this.cancel ??= this.frames.request(() => this.flush());
  }

  /** Commits whatever is buffered now (e.g. before a retry resets a column). */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.queue.length === 0) return;
    const items = this.queue;
    this.queue = [];
    this.commit(items);
  }

  dispose(): void {
    this.cancel?.();
    this.cancel = null;
    this.queue = [];
  }

  get pending(): number {
    return this.queue.length;
  }
}
