// Recognises a better-sqlite3 binary built for the other runtime (Node vs Electron) and says
// what to run, in one line. Side-effect free so the CLI, the host and the shell can import it.

const MISMATCH = /NODE_MODULE_VERSION\s+(\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION\s+(\d+)/;

/** The ABIs in a "compiled against a different Node.js version" error, or null for any other error. */
export function parseAbiMismatch(err) {
  const message = err instanceof Error ? err.message : String(err ?? '');
  const m = MISMATCH.exec(message);
  return m ? { builtFor: Number(m[1]), required: Number(m[2]) } : null;
}

/**
 * One line for the user when `err` is better-sqlite3 refusing to load, else null.
 * @example sqliteAbiProblem(err) // "better-sqlite3 is built for NODE_MODULE_VERSION 140 (Electron?) but this Node needs 115: run `npm run rebuild:node`"
 */
export function sqliteAbiProblem(err, versions = process.versions) {
  const abi = parseAbiMismatch(err);
  if (!abi) return null;
  return versions.electron
    ? `better-sqlite3 is built for NODE_MODULE_VERSION ${abi.builtFor} but Electron ${versions.electron} needs ${abi.required}: run \`npm run rebuild:electron\``
    : `better-sqlite3 is built for NODE_MODULE_VERSION ${abi.builtFor} (Electron's, after \`npm start\`?) but Node ${versions.node} needs ${abi.required}: run \`npm run rebuild:node\``;
}
