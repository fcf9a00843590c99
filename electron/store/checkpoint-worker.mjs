// Folds the WAL back into the database file on a connection of its own, off the
// engine's thread. A checkpoint copies every page the WAL holds and fsyncs the
// database (about 1.2 ms per MB here, tens of ms on a busy disk); on the engine's
// event loop that would stall every stream in flight and distort its timings.
// Plain JS so it runs as is from source and next to a bundle.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { file, truncateAboveBytes } = workerData;
// The main connection owns the schema and every write; this one only checkpoints.
const db = new Database(file, { fileMustExist: true });

function walBytes() {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

parentPort.on('message', ({ id, close }) => {
  if (close) {
    // The last connection to close folds what is left of the WAL in and removes it.
    db.close();
    parentPort.close();
    return;
  }
  try {
    // PASSIVE never waits for the engine's readers or writers and never blocks them. It cannot
    // restart the WAL, though: the next write does that, but only if none came in meanwhile.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    let truncated = false;
    // Writes that never pause (back-to-back runs) keep the WAL from restarting, and it grows.
    // Past the limit, TRUNCATE: the pages are already in, so it holds writers off for a few
    // frames and an fsync at most, once per that many bytes written.
    if (walBytes() > truncateAboveBytes) {
      db.pragma('busy_timeout = 2000');
      const [t] = db.pragma('wal_checkpoint(TRUNCATE)');
      truncated = t.busy === 0;
    }
    parentPort.postMessage({ id, busy: r.busy, log: r.log, checkpointed: r.checkpointed, truncated });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
