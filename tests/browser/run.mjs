// Runs the browser specs (tests/browser/specs/NAME.mjs), each against a server of its own, several
// at a time. `baladiya seed --demo` runs once, into a new database and key file (the staff
// passwords it prints stay in memory and reach the specs through the environment only); each spec
// gets its own copy of both, a `baladiya serve` on port 0 with its own outbox folder, and, when the
// spec ends, SIGTERM, after which the server must exit with status 0. (Seeding is mostly waiting
// for the disk, seconds each time; a copy of the fresh seed is the same state at no cost.) One
// loopback tile server (tile_server.py) serves every server's map. Each spec's output is printed
// whole when it ends; the last line adds them up.
//
// Usage: node tests/browser/run.mjs [NAME...]        (all specs when none is named)
// Environment:
//   BALADIYA_BIN   the server binary (default build/release/baladiya)
//   BROWSER_JOBS   specs at a time (default: the number of cores)
//   BROWSER_WORK   a folder for the specs' databases, key files, outboxes and server logs (kept);
//                  default a temporary folder, removed at the end
//   CHROMIUM_PATH  the browser (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import {
  copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = process.env.BALADIYA_BIN || join(ROOT, 'build', 'release', 'baladiya');
const JOBS = Number(process.env.BROWSER_JOBS) ||
  (os.availableParallelism ? os.availableParallelism() : os.cpus().length);
const STARTUP_MS = 60_000;  // seed or server start, tile server; far above what they take
const STOP_MS = 30_000;     // from SIGTERM to exit

// Longest first, so that the short specs fill in at the end; a spec not listed here runs last.
const ORDER = ['staff', 'participation', 'residents', 'journeys', 'meetings', 'cases-resident',
  'documents', 'cases-staff', 'payments', 'identity', 'open311', 'map', 'interop', 'editor', 'app',
  'auditor', 'analytics', 'versions', 'notify', 'counter', 'exchange', 'security'];
// The demo staff the specs sign in as, and the variable that carries each password.
const STAFF_ENV = {
  'hebron.admin': 'STAFF_ADMIN_PASSWORD', 'hebron.auditor': 'STAFF_AUDITOR_PASSWORD',
  'hebron.counter': 'STAFF_COUNTER_PASSWORD', 'hebron.clerk': 'STAFF_CLERK_PASSWORD',
  'hebron.head': 'STAFF_HEAD_PASSWORD', 'hebron.cashier': 'STAFF_CASHIER_PASSWORD',
  'hebron.water.head': 'STAFF_WATER_HEAD_PASSWORD', 'hebron.water.clerk': 'STAFF_WATER_CLERK_PASSWORD',
  'hebron.revenue.clerk': 'STAFF_REVENUE_CLERK_PASSWORD',
  'hebron.health.clerk': 'STAFF_HEALTH_CLERK_PASSWORD', 'hebron.health.head': 'STAFF_HEALTH_HEAD_PASSWORD',
  'hebron.service.clerk': 'STAFF_SERVICE_CLERK_PASSWORD',
  'ministry.observer': 'STAFF_OBSERVER_PASSWORD',
  'hebron.participation': 'STAFF_PARTICIPATION_PASSWORD',
  'platform.admin': 'STAFF_PLATFORM_PASSWORD',
};

const live = new Set();  // child processes to stop if the runner is interrupted
function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  live.add(child);
  child.done = new Promise((resolve) => {
    child.on('error', (e) => resolve({ code: null, signal: null, error: e }));
    child.on('close', (code, signal) => { live.delete(child); resolve({ code, signal }); });
  });
  return child;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of live) c.kill('SIGKILL');
    process.exit(130);
  });
}

// The first match of `re` in what `stream` prints, or an error when the process ends (or `ms`
// pass) first. Everything the stream prints also goes to `log` when given.
function firstMatch(child, stream, re, ms, log) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`nothing matching ${re} within ${ms / 1000} s`)), ms);
    stream.on('data', (chunk) => {
      if (log) log.write(chunk);
      if (text === null) return;
      text += chunk;
      const m = re.exec(text);
      if (m) {
        text = null;
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.done.then(({ code, signal, error }) => {
      clearTimeout(timer);
      if (text !== null) reject(new Error(`exited (${error || code || signal}) before printing ${re}`));
    });
  });
}

const tail = (file, n = 20) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
};

// Seeds a database in `dir` and returns the demo staff passwords by login (never printed).
async function seed(dir) {
  const child = start(BIN, ['seed', '--demo', '--database', join(dir, 'baladiya.db'),
    '--key-file', join(dir, 'keys')]);
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  const err = createWriteStream(join(dir, 'seed.err'));
  child.stderr.pipe(err);
  const { code, signal, error } = await child.done;
  if (code !== 0) {
    throw new Error(`seed failed (${error || code || signal}): ${tail(join(dir, 'seed.err'))}`);
  }
  const passwords = {};
  for (const m of out.matchAll(/^\s*(\S+)\s+\S+\s+password\s+(\S+)\s*$/gm)) passwords[m[1]] = m[2];
  const missing = Object.keys(STAFF_ENV).filter((login) => !passwords[login]);
  if (missing.length) throw new Error(`the seed printed no password for ${missing.join(', ')}`);
  return passwords;
}

// Starts the server on the seeded database; returns the child and its base URL.
async function serve(dir, tiles) {
  const child = start(BIN, ['serve', '--database', join(dir, 'baladiya.db'), '--key-file', join(dir, 'keys'),
    '--port', '0', '--log-level', 'warn', '--mail-drop', join(dir, 'outbox'), '--notify-seconds', '1',
    '--map-tiles-url', `${tiles}/{z}/{x}/{y}.png`, '--map-attribution', 'Test tiles (one PNG)']);
  child.stderr.pipe(createWriteStream(join(dir, 'server.err')));
  try {
    const m = await firstMatch(child, child.stdout, /http:\/\/127\.0\.0\.1:([0-9]+)/, STARTUP_MS,
      createWriteStream(join(dir, 'server.out')));
    return { child, base: `http://127.0.0.1:${m[1]}` };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

// SIGTERM, then the server must exit by itself with status 0 ('' when it did).
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return `the server had already stopped (${child.exitCode ?? child.signalCode})`;
  }
  child.kill('SIGTERM');
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_MS); });
  const r = await Promise.race([child.done, late]);
  clearTimeout(timer);
  if (!r) {
    child.kill('SIGKILL');
    return `the server did not exit within ${STOP_MS / 1000} s of SIGTERM`;
  }
  if (r.code !== 0) return `the server exited with ${r.code ?? r.signal} on SIGTERM`;
  return '';
}

// The seeded database and key file, copied into `dir` for one spec's server.
const SEEDED = ['baladiya.db', 'baladiya.db-wal', 'keys'];
function copySeed(from, dir) {
  for (const f of SEEDED) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(dir, f));
}

// Runs one spec with its own server on a copy of the seed; returns { name, passed, failed,
// seconds, output }.
async function runSpec(name, work, tiles, seeded) {
  const began = Date.now();
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const lines = [];
  let passed = 0;
  let failed = 0;
  // The runner's own checks, in the spec's report.
  const note = (what, problem) => {
    if (problem) {
      failed++;
      lines.push(`not ok - ${name}: ${what}`, ...problem.split('\n').map((l) => `  # ${l}`));
    } else {
      passed++;
      lines.push(`ok - ${name}: ${what}`);
    }
  };
  let server = null;
  try {
    const passwords = await seeded.passwords;
    copySeed(seeded.dir, dir);
    server = await serve(dir, tiles);
    rmSync(join(ROOT, 'build', 'screenshots', name), { recursive: true, force: true });
    const env = {
      ...process.env, BASE_URL: server.base, OUTBOX_DIR: join(dir, 'outbox'), MAP_TILES_ORIGIN: tiles,
    };
    for (const [login, variable] of Object.entries(STAFF_ENV)) env[variable] = passwords[login];
    const child = start(process.execPath, [join(HERE, 'specs', `${name}.mjs`)], { env, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    const { code, signal, error } = await child.done;
    lines.push(out.trimEnd());
    const counts = [...out.matchAll(/^([0-9]+) passed, ([0-9]+) failed$/gm)].pop();
    if (counts) {
      passed += Number(counts[1]);
      failed += Number(counts[2]);
    }
    if (!counts || code !== 0) {
      note('the spec ends with its summary and status 0', `status ${error || code || signal}` +
        (counts ? '' : ', no "N passed, N failed" line'));
    }
  } catch (e) {
    note('the seed, and its server started on a copy', String(e && e.message ? e.message : e));
  }
  if (server) {
    const problem = await stop(server.child);
    note('the server stops cleanly on SIGTERM', problem);
  }
  if (failed) {
    const log = tail(join(dir, 'server.err'));
    if (log) lines.push(`  # the server's last lines (stderr):`, ...log.split('\n').map((l) => `  # ${l}`));
  }
  return { name, passed, failed, seconds: (Date.now() - began) / 1000, output: lines.join('\n') };
}

async function main() {
  const all = readdirSync(join(HERE, 'specs')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
  const rank = (n) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((n) => !all.includes(n));
  if (unknown.length) {
    console.error(`no such spec: ${unknown.join(' ')} (specs: ${all.join(' ')})`);
    return 2;
  }
  const names = wanted.length ? all.filter((n) => wanted.includes(n)) : all;

  const ownWork = !process.env.BROWSER_WORK;
  const work = process.env.BROWSER_WORK || mkdtempSync(join(os.tmpdir(), 'baladiya-browser-run-'));
  mkdirSync(work, { recursive: true });
  const tileServer = start('/usr/bin/python3', [join(HERE, 'tile_server.py')]);
  const seedDir = join(work, 'seed');
  mkdirSync(seedDir, { recursive: true });
  const seeded = { dir: seedDir, passwords: seed(seedDir) };
  seeded.passwords.catch(() => {});  // each spec reports a failed seed
  let results = [];
  try {
    const tiles = (await firstMatch(tileServer, tileServer.stdout, /^tiles on (http:\/\/127\.0\.0\.1:[0-9]+)$/m,
      STARTUP_MS))[1];
    const jobs = Math.max(1, Math.min(JOBS, names.length));
    console.log(`# ${names.length} specs, ${jobs} at a time, each with its own server: ${names.join(' ')}`);
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const r = await runSpec(name, work, tiles, seeded);
        console.log(`== ${r.name} (${r.seconds.toFixed(0)} s): ${r.passed} passed, ${r.failed} failed`);
        console.log(r.output);
        results.push(r);
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  } catch (e) {
    console.log(`not ok - the tile server: ${e.message}`);
    results = [{ name: 'tiles', passed: 0, failed: 1, seconds: 0 }];
  } finally {
    tileServer.kill('SIGTERM');
    await tileServer.done;
    await seeded.passwords.catch(() => {});  // not to leave the seed running, when no spec ran
    if (ownWork) rmSync(work, { recursive: true, force: true });
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`# ${results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(', ')}`);
  for (const r of results.filter((x) => x.failed)) console.log(`# failed in ${r.name}: ${r.failed}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 && results.length === names.length ? 0 : 1;
}

process.exit(await main());
