/**
 * Bad command lines, each of which must end in a non-zero exit and one clear line.
 * Built from tables: every number flag against every malformed number, every
 * place a target, an id or a path is taken against the malformed ones.
 */

export interface CliCase {
  name: string;
  args: string[];
  /** Another data directory for this case (it is then the user's path, and may be named). */
  dataDir?: string;
  /** A path the user gave that the message may name. */
  mayName?: string;
  /** What the line must say, when the case is about a specific message. */
  says?: RegExp;
}

export interface CliFixtures {
  /** A data directory with a provider `mock` (on the mock server) and one finished run. */
  tmp: string;
  missingFolderFile: string;
  folder: string;
  fileUnderFile: string;
  notJson: string;
  wrongShape: string;
  emptyFile: string;
  dataDirIsFile: string;
  dataDirUnderFile: string;
  dbIsFolder: string;
  dbIsGarbage: string;
  closedUrl: string;
  busyPort: number;
}

const HUGE = 'x'.repeat(100_000);
const HUGE_NUM = '9'.repeat(100_000);

/** Malformed numbers: hex, exponents, words, blanks, padding, overflow, other digits. */
const BAD_NUMBERS = ['0x10', '1e3', 'abc', '', ' 5', 'Infinity', 'NaN', '+5', '5,0', '１２', '99999999999999999999999', HUGE_NUM, '1_000', '0b11'];

/** Each number flag, the command that takes it, and values outside its range. */
const NUMBER_FLAGS: Array<{ cmd: string[]; flag: string; outOfRange: string[]; integer?: boolean }> = [
  { cmd: ['compare', 'hi', '-m', 'mock:mock-small'], flag: '--temperature', outOfRange: ['-0.1', '2.5'] },
  { cmd: ['compare', 'hi', '-m', 'mock:mock-small'], flag: '--max-tokens', outOfRange: ['0', '-1', '10000001', '2147483648'], integer: true },
  { cmd: ['compare', 'hi', '-m', 'mock:mock-small'], flag: '--top-p', outOfRange: ['1.01', '-1'] },
  { cmd: ['compare', 'hi', '-m', 'mock:mock-small'], flag: '--seed', outOfRange: ['2147483648', '-2147483649'], integer: true },
  { cmd: ['compare', 'hi', '-m', 'mock:mock-small'], flag: '--first-token-timeout', outOfRange: ['0', '3600001'], integer: true },
  { cmd: ['history', 'list'], flag: '--limit', outOfRange: ['0', '-5', '100001'], integer: true },
  { cmd: ['catalog', 'list'], flag: '--limit', outOfRange: ['0'], integer: true },
  { cmd: ['catalog', 'override', 'mock:mock-small', '--output', '1'], flag: '--input', outOfRange: ['-1', '1000001'] },
  { cmd: ['budgets', 'set', '--period', 'day'], flag: '--usd', outOfRange: ['-1', '1000001'] },
  { cmd: ['budgets', 'set', '--period', 'day', '--usd', '5'], flag: '--warn', outOfRange: ['0', '101'] },
  { cmd: ['serve'], flag: '--port', outOfRange: ['65536', '-1'], integer: true },
];

function numberCases(): CliCase[] {
  const out: CliCase[] = [];
  for (const f of NUMBER_FLAGS) {
    // Every flag gets the whole set on compare's and history's main flags; the others a representative few.
    const values = f.flag === '--max-tokens' || f.flag === '--seed' || f.flag === '--temperature' || (f.flag === '--limit' && f.cmd[0] === 'history') ? BAD_NUMBERS : ['0x10', '1e3', 'abc', '', HUGE_NUM];
    for (const v of [...values, ...f.outOfRange, ...(f.integer ? ['1.5'] : [])]) {
      out.push({ name: `${f.cmd.slice(0, 2).join(' ')} ${f.flag} ${JSON.stringify(v.slice(0, 12))}${v.length > 12 ? '…' : ''}`, args: [...f.cmd, f.flag, v], says: new RegExp(`${f.flag}`) });
    }
  }
  return out;
}

/** Malformed targets, and well-formed ones naming nothing configured. */
const BAD_TARGETS = [':', 'a:', '@x', 'a@', 'a b', ',', 'a,,b', ' ', 'UPPER:model', 'ö:model', 'a\u0000b', 'a\nb', `${HUGE}:m`, `mock:${HUGE} x`, 'nope:gpt-4o-mini', 'no-such-lab/no-such-model', 'openai/gpt-4o-mini@nope', '\u202eevil:m', 'mock:mock-small,', '\ud800:m', 'a@b@', '/x', 'x/:y'];

function targetCases(): CliCase[] {
  const out: CliCase[] = BAD_TARGETS.map((t) => ({ name: `compare -m ${JSON.stringify(t.slice(0, 20))}`, args: ['compare', 'hi', '-m', t] }));
  for (const t of [':', 'a b', `${HUGE}@x`, 'nope:m', 'mock/model', 'no-such-lab/x@mock', '']) {
    out.push({ name: `catalog override ${JSON.stringify(t.slice(0, 20))}`, args: ['catalog', 'override', t, '--input', '1', '--output', '2'] });
  }
  out.push({ name: 'compare --dry-run with a bad target', args: ['compare', 'hi', '-m', 'a:', '--dry-run'] });
  return out;
}

function idCases(): CliCase[] {
  const ids = ['r_nope', HUGE, 'a\u0000b', '', '../../etc/passwd', '🙂', "'; DROP TABLE runs; --"];
  return [
    ...ids.map((id) => ({ name: `history show ${JSON.stringify(id.slice(0, 16))}`, args: ['history', 'show', id] })),
    ...ids.slice(0, 4).map((id) => ({ name: `catalog show ${JSON.stringify(id.slice(0, 16))}`, args: ['catalog', 'show', id] })),
    ...ids.slice(0, 4).map((id) => ({ name: `providers remove ${JSON.stringify(id.slice(0, 16))}`, args: ['providers', 'remove', id] })),
    ...ids.slice(0, 3).map((id) => ({ name: `providers test ${JSON.stringify(id.slice(0, 16))}`, args: ['providers', 'test', id] })),
    { name: 'catalog list --provider unknown', args: ['catalog', 'list', '--provider', 'nope-nope'] },
    { name: 'catalog list --provider huge', args: ['catalog', 'list', '--provider', HUGE] },
  ];
}

function promptCases(fx: CliFixtures): CliCase[] {
  const names = ['', HUGE, 'a\u0000b', ' x', 'a\nb'];
  return [
    ...names.map((n) => ({ name: `prompts add ${JSON.stringify(n.slice(0, 16))}`, args: ['prompts', 'add', n, '--text', 'hi'] })),
    ...names.slice(0, 3).map((n) => ({ name: `prompts show ${JSON.stringify(n.slice(0, 16))}`, args: ['prompts', 'show', n] })),
    ...names.slice(0, 3).map((n) => ({ name: `prompts rm ${JSON.stringify(n.slice(0, 16))}`, args: ['prompts', 'rm', n, '--system'] })),
    { name: 'prompts add --file /dev/zero', args: ['prompts', 'add', 'z', '--file', '/dev/zero'] },
    { name: 'prompts add --file a folder', args: ['prompts', 'add', 'z', '--file', fx.folder], mayName: fx.folder },
    { name: 'prompts add without text', args: ['prompts', 'add', 'z'] },
    { name: 'compare --template unknown', args: ['compare', '--template', 'nope', '-m', 'mock:m'] },
    { name: 'compare --template huge', args: ['compare', '--template', HUGE, '-m', 'mock:m'] },
    { name: 'compare --var without =', args: ['compare', '--template', 'nope', '--var', 'x', '-m', 'mock:m'] },
    { name: 'compare --var huge key', args: ['compare', '--template', 'nope', '--var', `${HUGE}=1`, '-m', 'mock:m'] },
    { name: 'compare --var without a template', args: ['compare', 'hi', '--var', 'a=b', '-m', 'mock:m'] },
  ];
}

function providerCases(): CliCase[] {
  const add = (id: string, ...rest: string[]) => ['providers', 'add', id, ...rest];
  return [
    { name: 'providers add bad id', args: add('Bad Id', '--type', 'openai') },
    { name: 'providers add empty id', args: add('', '--type', 'openai') },
    { name: 'providers add huge id', args: add(HUGE, '--type', 'openai') },
    { name: 'providers add ../x', args: add('../x', '--type', 'openai') },
    { name: 'providers add unicode id', args: add('prövider', '--type', 'openai') },
    { name: 'providers add --type foo', args: add('y', '--type', 'foo') },
    { name: 'providers add --type huge', args: add('y', '--type', HUGE) },
    { name: 'providers add without --type', args: add('y') },
    { name: 'providers add ftp URL', args: add('y', '--type', 'openai', '--base-url', 'ftp://example.com/v1') },
    { name: 'providers add not a URL', args: add('y', '--type', 'openai', '--base-url', 'not a url') },
    { name: 'providers add huge URL', args: add('y', '--type', 'openai', '--base-url', `http://${HUGE}`) },
    { name: 'providers add javascript: URL', args: add('y', '--type', 'openai', '--base-url', 'javascript:alert(1)') },
    { name: 'providers add --api-key-env 1X', args: add('y', '--type', 'openai', '--api-key-env', '1X') },
    { name: 'providers add --api-key-env A-B', args: add('y', '--type', 'openai', '--api-key-env', 'A-B') },
    { name: 'providers add --api-key-env empty', args: add('y', '--type', 'openai', '--api-key-env', '') },
    { name: 'providers add --serve =', args: add('y', '--type', 'openai', '--serve', '=') },
    { name: 'providers add --serve a=', args: add('y', '--type', 'openai', '--serve', 'a=') },
    { name: 'providers add --serve noeq', args: add('y', '--type', 'openai', '--serve', 'noeq') },
    { name: 'providers add --serve huge', args: add('y', '--type', 'openai', '--serve', HUGE) },
    { name: 'providers add: type change without --replace', args: add('mock', '--type', 'anthropic'), says: /already exists with --type openai: pass --replace/ },
  ];
}

function fileCases(fx: CliFixtures): CliCase[] {
  const imp = (p: string) => ['catalog', 'import', p];
  const exp = (p: string) => ['catalog', 'export', p];
  return [
    { name: 'import a missing file', args: imp(`${fx.tmp}/missing.json`), mayName: fx.tmp },
    { name: 'import a folder', args: imp(fx.folder), mayName: fx.folder },
    { name: 'import /dev/zero', args: imp('/dev/zero') },
    { name: 'import not JSON', args: imp(fx.notJson), mayName: fx.notJson },
    { name: 'import the wrong shape', args: imp(fx.wrongShape), mayName: fx.wrongShape },
    { name: 'import an empty file', args: imp(fx.emptyFile), mayName: fx.emptyFile },
    { name: 'import a NUL in the path', args: imp('a\u0000b.json') },
    { name: 'import a huge path', args: imp(`/${HUGE}.json`) },
    { name: 'import under a file', args: imp(`${fx.notJson}/x.json`), mayName: fx.notJson },
    { name: 'export to a missing folder', args: exp(fx.missingFolderFile), mayName: fx.tmp, says: /cannot write .*: folder .* does not exist/ },
    { name: 'export to a folder', args: exp(fx.folder), mayName: fx.folder, says: /it is a folder/ },
    { name: 'export under a file', args: exp(fx.fileUnderFile), mayName: fx.tmp, says: /is a file, not a folder/ },
    { name: 'export a NUL in the path', args: exp('out\u0000.json') },
    { name: 'export a huge path', args: exp(`/tmp/${HUGE}.json`) },
    { name: 'export to /proc', args: exp('/proc/switchyard.json') },
    { name: 'refresh from a closed port', args: ['catalog', 'refresh', '--url', fx.closedUrl] },
    { name: 'refresh from not a URL', args: ['catalog', 'refresh', '--url', 'not a url'] },
  ];
}

function spendCases(): CliCase[] {
  return [
    ...['yesterday', '2026-13-45', '7x', '', '-1d', HUGE, 'd7', '7 d'].map((v) => ({ name: `spend --since ${JSON.stringify(v.slice(0, 12))}`, args: ['spend', '--since', v] })),
    { name: 'spend --by week', args: ['spend', '--by', 'week'] },
    { name: 'spend --by huge', args: ['spend', '--by', HUGE] },
    { name: 'budgets set --period year', args: ['budgets', 'set', '--period', 'year', '--usd', '5'] },
    { name: 'budgets set without --period', args: ['budgets', 'set', '--usd', '5'] },
    { name: 'budgets set without --usd', args: ['budgets', 'set', '--period', 'day'] },
    { name: 'budgets set --provider and --key', args: ['budgets', 'set', '--period', 'day', '--usd', '5', '--provider', 'mock', '--key', 'K'] },
    { name: 'budgets remove a missing one', args: ['budgets', 'remove', '--period', 'week'] },
    { name: 'budgets remove --period huge', args: ['budgets', 'remove', '--period', HUGE] },
  ];
}

function usageCases(fx: CliFixtures): CliCase[] {
  const c = ['compare', 'hi', '-m', 'mock:mock-small'];
  return [
    { name: 'unknown command', args: ['frobnicate'] },
    { name: 'unknown huge command', args: [HUGE] },
    { name: 'unknown subcommand', args: ['history', 'purge'] },
    { name: 'unknown option', args: [...c, '--bogus'] },
    { name: 'unknown huge option', args: [...c, `--${HUGE}`] },
    { name: 'compare without a prompt', args: ['compare'] },
    { name: 'compare without -m', args: ['compare', 'hi'] },
    { name: 'compare with an empty prompt', args: ['compare', '   ', '-m', 'mock:mock-small'] },
    { name: 'compare -m without a value', args: ['compare', 'hi', '-m'] },
    { name: 'compare --route fastest', args: [...c, '--route', 'fastest'] },
    { name: 'compare --route huge', args: [...c, '--route', HUGE] },
    { name: 'compare --order empty', args: [...c, '--order', ','] },
    { name: 'compare --jurisdiction empty', args: [...c, '--jurisdiction', ' , '] },
    ...['x', '1', '1,2,3', '-1,2', '0x1,2', 'Infinity,1', '1e2,1', `${HUGE_NUM},1`].map((v) => ({ name: `compare --max-price ${JSON.stringify(v.slice(0, 10))}`, args: [...c, '--max-price', v] })),
    { name: 'too many arguments', args: ['history', 'show', 'a', 'b'] },
    { name: 'history show without an id', args: ['history', 'show'] },
    { name: 'history list --status great', args: ['history', 'list', '--status', 'great'] },
    { name: 'history list --since soon', args: ['history', 'list', '--since', 'soon'] },
    { name: 'history list --until huge', args: ['history', 'list', '--until', HUGE] },
    { name: 'history list --source with spaces', args: ['history', 'list', '--source', 'a b'] },
    { name: 'history tag an unknown run', args: ['history', 'tag', 'r_nope', 'x'] },
    { name: 'history tag without a tag', args: ['history', 'tag', 'r_nope'] },
    { name: 'history note without text', args: ['history', 'note', 'r_nope'] },
    { name: 'catalog override without --input', args: ['catalog', 'override', 'mock:mock-small', '--output', '1'] },
    { name: 'serve on a non-loopback address', args: ['serve', '--port', '0', '--host', '0.0.0.0'] },
    { name: 'serve on a busy port', args: ['serve', '--port', String(fx.busyPort)] },
  ];
}

function dataDirCases(fx: CliFixtures): CliCase[] {
  const cases: CliCase[] = [];
  // Under a file, the message names that file: it is the part of the user's path that is wrong.
  const dirs = [['a file', fx.dataDirIsFile, fx.dataDirIsFile], ['under a file', fx.dataDirUnderFile, fx.dataDirIsFile], ['a db that is a folder', fx.dbIsFolder, fx.dbIsFolder], ['a db of garbage', fx.dbIsGarbage, fx.dbIsGarbage]] as const;
  for (const [what, dir, named] of dirs) {
    cases.push({ name: `data dir is ${what}: history list`, args: ['history', 'list'], dataDir: dir, mayName: named });
    cases.push({ name: `data dir is ${what}: providers add`, args: ['providers', 'add', 'z', '--type', 'openai'], dataDir: dir, mayName: named });
  }
  return cases;
}

export function cliCases(fx: CliFixtures): CliCase[] {
  return [...numberCases(), ...targetCases(), ...idCases(), ...promptCases(fx), ...providerCases(), ...fileCases(fx), ...spendCases(), ...usageCases(fx), ...dataDirCases(fx)];
}
