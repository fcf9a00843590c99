// Counts tokens off the main thread. Loading a BPE table takes 0.5-3 s; done on
// the engine's event loop it would stall every stream in flight and distort
// their timings. Plain JS so it runs as is from source and next to a bundle.
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const encoders = new Map();
const PLAIN_TEXT = { disallowedSpecial: new Set() };

parentPort.on('message', ({ id, encoding, texts }) => {
  try {
    let enc = encoders.get(encoding);
    if (!enc) {
      enc = require(`gpt-tokenizer/cjs/encoding/${encoding}`);
      encoders.set(encoding, enc);
    }
    parentPort.postMessage({ id, counts: texts.map((t) => (t ? enc.countTokens(t, PLAIN_TEXT) : 0)) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
