/**
 * WAL checkpoints off the engine's thread. `wal_autocheckpoint` is off (db.ts):
 * SQLite's own checkpoint would run inside whichever commit crossed the limit,
 * in the middle of a stream. Checkpointing only when the engine is idle left
 * the WAL growing without bound under back-to-back runs (about 1 MB per
 * 16-column run, 200 MB after 200 runs). A worker thread with its own
 * connection checkpoints whenever asked, and the engine never waits for it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface CheckpointResult {
  /** 1 when a reader or writer kept the checkpoint from finishing (PASSIVE never waits). */
  busy: number;
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
  /** The WAL had grown past the limit and was cut back to nothing. */
  truncated: boolean;
}

/**
 * Above this the worker truncates the WAL, briefly holding writers off. Below it
 * the WAL restarts by itself at the first write after a checkpoint that caught up.
 */
export const WAL_TRUNCATE_BYTES = 64 * 1024 * 1024;

type Reply = { id: number; error?: string } & Partial<CheckpointResult>;

export class OffThreadCheckpointer {
  private worker: Worker | null = null;
  private broken: boolean;
  private nextId = 0;
  private inFlight: { id: number; promise: Promise<CheckpointResult | null>; resolve(r: CheckpointResult | null): void } | null = null;

  private readonly workerFile: string;
  private readonly log: (msg: string) => void;
  private readonly truncateAboveBytes: number;

  /** `file` is a WAL database the caller keeps open (':memory:' has no WAL: nothing to do). */
  constructor(
    private readonly file: string,
    opts: {
      /** Beside this module in the source tree, and beside each bundle (scripts/build-node.mjs). */
      workerFile?: string;
      log?: (msg: string) => void;
      truncateAboveBytes?: number;
    } = {},
  ) {
    this.workerFile = opts.workerFile ?? fileURLToPath(new URL('./checkpoint-worker.mjs', import.meta.url));
    this.log = opts.log ?? ((m) => console.warn(m));
    this.truncateAboveBytes = opts.truncateAboveBytes ?? WAL_TRUNCATE_BYTES;
    this.broken = file === ':memory:' || !existsSync(this.workerFile);
  }

  /** False once the worker cannot run (missing file, failed start): the caller checkpoints in its own thread, at idle. */
  get available(): boolean {
    return !this.broken;
  }

  /**
   * Starts a checkpoint and resolves with its result (null if the worker
   * failed). One at a time: a request while one runs gets that one's promise.
   * Returns null without a worker.
   */
  request(): Promise<CheckpointResult | null> | null {
    if (this.inFlight) return this.inFlight.promise;
    const w = this.start();
    if (!w) return null;
    const id = this.nextId++;
    let resolve!: (r: CheckpointResult | null) => void;
    const promise = new Promise<CheckpointResult | null>((r) => (resolve = r));
    this.inFlight = { id, promise, resolve };
    w.ref();
    w.postMessage({ id });
    return promise;
  }

  /** Lets the worker close its connection and exit; never waits (whichever connection closes last folds the WAL in). */
  close(): void {
    const w = this.worker;
    this.worker = null;
    this.broken = true;
    this.settle(null);
    if (!w) return;
    w.postMessage({ close: true });
    w.unref();
  }

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    let w: Worker;
    try {
      // Plain JS: no loader hooks to inherit (under tsx they would cost ~200 ms of CPU at start).
      w = new Worker(this.workerFile, { workerData: { file: this.file, truncateAboveBytes: this.truncateAboveBytes }, execArgv: [] });
    } catch (err) {
      this.fail(err);
      return null;
    }
    w.unref();
    w.on('message', (m: Reply) => {
      if (m.id !== this.inFlight?.id) return;
      if (m.error) this.log(`[store] WAL checkpoint failed: ${m.error}`);
      this.settle(m.error ? null : { busy: m.busy ?? 0, log: m.log ?? 0, checkpointed: m.checkpointed ?? 0, truncated: m.truncated ?? false });
    });
    w.on('error', (err) => this.fail(err));
    w.on('exit', (code) => {
      if (this.worker === w && code !== 0) this.fail(new Error(`checkpoint worker exited with code ${code}`));
    });
    this.worker = w;
    return w;
  }

  private settle(r: CheckpointResult | null): void {
    const f = this.inFlight;
    this.inFlight = null;
    this.worker?.unref();
    f?.resolve(r);
  }

  private fail(err: unknown): void {
    if (!this.broken) this.log(`[store] checkpoint worker unavailable, checkpointing on the main thread when idle: ${err instanceof Error ? err.message : String(err)}`);
    this.broken = true;
    this.worker = null;
    this.settle(null);
  }
}
