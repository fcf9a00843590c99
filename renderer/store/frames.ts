/**
 * Buffers streamed events and hands them over once per animation frame, so a
 * burst of deltas (16 columns x 100 tokens/s) costs one store update and one
 * React commit per frame instead of one per token. Under a wide fan-out, once
 * every two frames (see STREAMING_FRAMES_PER_COMMIT in compareSlice).
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

  /**
   * `framesPerCommit` is asked when a batch starts: 1 commits on the next
   * frame, 2 on the one after (the frames in between have nothing to lay out).
   */
  constructor(
    private readonly commit: (items: T[]) => void,
    private readonly frames: FrameScheduler,
    private readonly framesPerCommit: () => number = () => 1,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    if (this.cancel) return;
    let wait = Math.max(1, Math.floor(this.framesPerCommit()));
    const onFrame = (): void => {
      if (--wait > 0) this.cancel = this.frames.request(onFrame);
      else this.flush();
    };
    this.cancel = this.frames.request(onFrame);
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
