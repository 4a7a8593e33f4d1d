// Small test harness: counts checks, prints TAP-like lines and the closing
// "N passed, N failed" line that CI reads. A plain script rather than node:test, because the
// checks are generated from the crawl and each (page, language, check) must count on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

let passed = 0;
let failed = 0;

// check runs fn; a throw (or a returned non-empty string) fails it with that message.
export async function check(name, fn) {
  let problem = '';
  try {
    problem = (await fn()) || '';
  } catch (e) {
    problem = e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n') : String(e);
  }
  if (problem) {
    failed++;
    console.log(`not ok ${passed + failed} - ${name}`);
    for (const line of String(problem).split('\n')) console.log(`  # ${line}`);
  } else {
    passed++;
    console.log(`ok ${passed + failed} - ${name}`);
  }
  return !problem;
}

export function summary() {
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

// The flags Debian's chromium needs as root in a container (see stack-facts.md, "Traps").
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Playwright makes a fresh profile (user-data-dir) under os.tmpdir() for every launch; pointing
// TMPDIR at a folder of our own makes that explicit and lets us remove it all at the end.
export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'baladiya-browser-'));
  process.env.TMPDIR = dir;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The map's tile server, when scripts/test.sh configured one (map-tiles-url): its tiles are the
// only requests to another origin a page may make.
const TILES = (process.env.MAP_TILES_ORIGIN || '').replace(/\/+$/, '');
const TILE_PATH = /^\/[0-9]+\/-?[0-9]+\/-?[0-9]+\.png$/;

// newPage opens a page whose requests to any host but the origin (and tiles from the configured
// tile server) are collected in `foreign`.
export async function newPage(context, origin, foreign) {
  const page = await context.newPage();
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    const u = new URL(url);
    if (TILES && u.origin === TILES && TILE_PATH.test(u.pathname)) return;
    if (u.origin !== origin) foreign.add(url);
  });
  return page;
}
