// The browser specs' shared harness: counting checks (TAP-like lines and the closing
// "N passed, N failed" line that run.mjs and CI read), Chromium, and the checks every page gets
// (testPage). A plain script rather than node:test, because the checks are generated from the
// crawl and each (page, language, check) must count on its own.
//
// A spec (tests/browser/specs/NAME.mjs) is one process against one freshly seeded server, which
// run.mjs starts for it and names in the environment:
//   BASE_URL           the server, http://127.0.0.1:PORT
//   OUTBOX_DIR         the server's --mail-drop folder (SMS and mail as files)
//   MAP_TILES_ORIGIN   the loopback tile server the server's map uses
//   STAFF_*_PASSWORD   the demo staff passwords the seed printed (never printed here)
//   SCREENSHOTS_DIR    where this spec's screenshots go (default build/screenshots/NAME)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC = basename(process.argv[1] || 'spec', '.mjs');
const SHOTS = process.env.SCREENSHOTS_DIR || join(ROOT, 'build', 'screenshots', SPEC);

export const BASE = (process.env.BASE_URL || '').replace(/\/+$/, '');
export const ORIGIN = BASE ? new URL(BASE).origin : '';
export const NOT_FOUND = '/no-such-page';
export const LANGS = { ar: 'rtl', en: 'ltr' };
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// axe-core on a page, for the WCAG 2.1 A/AA rules. Legacy mode runs axe.run in the page itself;
// the default mode finishes every run in a blank page of its own, which doubles the time of each
// check and only matters for pages with cross-origin frames (ours have none).
export const axe = (page, tags = AXE_TAGS) => new AxeBuilder({ page }).withTags(tags).setLegacyMode(true);

let passed = 0;
let failed = 0;
// Seconds spent per kind of check (the words after a page's "[lang] "; "steps" for the rest),
// printed with the summary so that a slow spec shows where its time goes.
const spent = new Map();
const kindOf = (name) => {
  const m = /\] ([a-z]+(?: [a-z]+)?)/i.exec(name);
  return m ? m[1] : 'steps';
};

// check runs fn; a throw (or a returned non-empty string) fails it with that message.
export async function check(name, fn) {
  let problem = '';
  const began = performance.now();
  try {
    problem = (await fn()) || '';
  } catch (e) {
    problem = e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n') : String(e);
  }
  const kind = kindOf(name);
  spent.set(kind, (spent.get(kind) || 0) + (performance.now() - began) / 1000);
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
  const by = [...spent].sort((a, b) => b[1] - a[1]).map(([k, t]) => `${k} ${t.toFixed(1)} s`);
  console.log(`# time by check: ${by.join(', ')}`);
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

// spec runs a spec's body with a browser, prints the summary and sets the exit status.
export async function spec(body) {
  if (!BASE) {
    console.error(`usage: BASE_URL=http://127.0.0.1:PORT node ${process.argv[1]} ` +
      '(or node tests/browser/run.mjs, which seeds and starts a server for each spec)');
    process.exit(2);
  }
  const run = await launch();
  try {
    await body(run.browser);
  } catch (e) {
    // A throw outside a check is a broken spec: count it, so that it cannot pass.
    await check('the spec ran to its end', () => (e && e.stack) || String(e));
  } finally {
    await run.close();
  }
  process.exit(summary() ? 0 : 1);
}

// The map's tile server, when run.mjs configured one (map-tiles-url): its tiles are the only
// requests to another origin a page may make.
export const TILES = (process.env.MAP_TILES_ORIGIN || '').replace(/\/+$/, '');
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

// Arabic is the default: no query, cookies cleared. English goes through ?lang=en.
export function urlFor(path, lang) {
  const u = new URL(path, ORIGIN);
  if (lang !== 'ar') u.searchParams.set('lang', lang);
  return u.href;
}

// The session cookies of a signed-in context, without the language cookie, so that Arabic stays
// the default and English is asked for with ?lang=en as on the anonymous pages.
export const sessionOnly = (state) =>
  state && { ...state, cookies: state.cookies.filter((c) => c.name !== 'lang') };

const docFacts = () => ({
  lang: document.documentElement.getAttribute('lang'),
  dir: document.documentElement.getAttribute('dir'),
  mains: document.querySelectorAll('main').length,
  mainId: document.querySelector('main')?.id || '',
  h1: document.querySelector('h1')?.textContent.trim() || '',
});

function formatViolations(violations) {
  return violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}`).join('\n')).join('\n');
}

// testPage runs the checks on one page in one language, and returns the storage state (cookies)
// of the context it used (null when the page did not load). By default it opens `path` with GET
// as an anonymous visitor; `opts` changes that for signed-in pages and form results:
//   label   the name in the report and the screenshots (default: path)
//   state   storage state (cookies) of a signed-in person, for every context opened here
//   status  the expected HTTP status (default: any below 400; 404 for NOT_FOUND)
//   stay    the final URL must still have this path (a lost session would redirect to /login)
//   open    async (page, lang) => response: how to reach the page (e.g. fill and submit a form)
//   reopen  whether the skip-link check opens the page again (default false: focus is cleared and
//           the page scrolled to its top, which is where a fresh load starts; true for a page
//           whose `open` leaves something focused)
//   noJs    whether to check the page without JavaScript (default true; opened with `open`)
//   more    { name, fn: async (page, facts) => problem }: one more check for this page
export async function testPage(browser, path, lang, opts = {}) {
  const label = opts.label || path;
  const name = `${label} [${lang}]`;
  const want = opts.status ?? (path === NOT_FOUND ? 404 : null);
  const open = opts.open || ((p) => p.goto(urlFor(path, lang), { waitUntil: 'load' }));
  const foreign = new Set();
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 800 }, storageState: opts.state || undefined,
  });
  const page = await newPage(ctx, ORIGIN, foreign);
  let facts = null;
  // Whether any script was fetched on the way to this page (the pages' only scripts are the
  // map's files; the CSP, checked below, lets no inline script or handler run).
  let scripted = false;
  page.on('request', (r) => { if (r.resourceType() === 'script') scripted = true; });
  let csp = '';

  // Whether `res` (and the page's URL) is what this page should answer.
  const answered = (p, res) => {
    if (!res) return 'no response';
    if (want && res.status() !== want) return `status ${res.status()}, want ${want}`;
    if (!want && res.status() >= 400) return `status ${res.status()}`;
    const at = new URL(p.url()).pathname;
    if (opts.stay && at !== opts.stay) return `ended at ${p.url()}, want ${opts.stay}`;
    return '';
  };

  const loaded = await check(`${name} loads`, async () => {
    const res = await open(page, lang);
    const problem = answered(page, res);
    if (problem) return problem;
    csp = (res && res.headers()['content-security-policy']) || '';
    facts = await page.evaluate(docFacts);
  });
  if (!loaded) {
    await ctx.close();
    return null;
  }

  await check(`${name} axe WCAG 2.1 A/AA`, async () => {
    const r = await axe(page).analyze();
    if (r.violations.length) return formatViolations(r.violations);
  });

  await check(`${name} lang, dir, one <main id=main>, <h1>`, () => {
    const bad = [];
    if (facts.lang !== lang) bad.push(`lang="${facts.lang}", want "${lang}"`);
    if (facts.dir !== LANGS[lang]) bad.push(`dir="${facts.dir}", want "${LANGS[lang]}"`);
    if (facts.mains !== 1) bad.push(`${facts.mains} <main> elements`);
    if (facts.mainId !== 'main') bad.push(`<main id="${facts.mainId}">, want id="main"`);
    if (!facts.h1) bad.push('no <h1>');
    return bad.join('\n');
  });

  if (opts.more) await check(`${name} ${opts.more.name}`, () => opts.more.fn(page, facts));

  await check(`${name} screenshots 1280/360`, async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      // JPEG: encoding a long page as PNG takes several times longer, for no use to a reader.
      await page.screenshot({
        path: join(SHOTS, `${slug(label)}-${lang}-${width}.jpg`), fullPage: true, type: 'jpeg', quality: 80,
      });
    }
  });

  await check(`${name} no horizontal scroll at 320 px`, async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    const m = await page.evaluate(() => {
      const s = document.scrollingElement;
      return { scroll: s.scrollWidth, client: s.clientWidth };
    });
    if (m.scroll > m.client + 1) return `scrollWidth ${m.scroll} > clientWidth ${m.client}`;
  });

  // Keyboard: the first Tab lands on a visible skip link to #main; Enter moves focus into <main>.
  await check(`${name} skip link is the first focusable element`, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    if (opts.reopen !== true) {
      // Nothing above moves focus; start from the top of the document as after a load.
      await page.evaluate(() => { document.activeElement?.blur(); scrollTo(0, 0); });
    } else {
      const problem = answered(page, await open(page, lang));
      if (problem) return `opening again: ${problem}`;
    }
    await page.keyboard.press('Tab');
    const a = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return {
        tag: el.tagName, href: el.getAttribute('href'), cls: el.className,
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
      };
    });
    if (a.tag !== 'A' || a.href !== '#main') return `first focus: <${a.tag} class="${a.cls}" href="${a.href}">`;
    if (!a.visible) return 'skip link has focus but is not visible on screen';
    await page.keyboard.press('Enter');
    const id = await page.evaluate(() => document.activeElement.id);
    if (id !== 'main') return `after Enter focus is on #${id || '(none)'}, want #main`;
  });

  if (opts.noJs !== false) {
    await check(`${name} works without JavaScript`, async () => {
      // A page reached without fetching a script, under a CSP that runs no inline script, is the
      // same page with JavaScript off: nothing to open again.
      const inlineBlocked = /script-src 'self'(;|$)/.test(csp) && !/unsafe-inline/.test(csp);
      if (!scripted && inlineBlocked) return;
      const off = await browser.newContext({
        javaScriptEnabled: false, storageState: opts.state || undefined,
      });
      try {
        const p = await newPage(off, ORIGIN, foreign);
        const problem = answered(p, await open(p, lang));
        if (problem) return problem;
        const f = await p.evaluate(docFacts).catch(() => null) ?? await staticFacts(p);
        if (f.mains !== 1 || !f.h1) return `main: ${f.mains}, h1: "${f.h1}"`;
        if (f.h1 !== facts.h1) return `h1 "${f.h1}" differs from the JS page's "${facts.h1}"`;
      } finally {
        await off.close();
      }
    });
  }

  await check(`${name} no third-party requests`, () => {
    if (foreign.size) return [...foreign].join('\n');
  });
  const state = await ctx.storageState();
  await ctx.close();
  return state;
}

// With JavaScript off, page.evaluate still runs (it is the DevTools protocol, not page script),
// but fall back to locators in case a Chromium build refuses.
async function staticFacts(p) {
  return {
    mains: await p.locator('main').count(),
    h1: ((await p.locator('h1').first().textContent().catch(() => '')) || '').trim(),
  };
}

// An error page "in the right language": its heading is written in that language's script.
export function headingInLanguage(lang) {
  return {
    name: `the <h1> is in ${lang === 'ar' ? 'Arabic' : 'English'}`,
    fn: (page, facts) => {
      const arabic = /[\u0600-\u06FF]/.test(facts.h1);
      const latin = /[A-Za-z]/.test(facts.h1);
      if (lang === 'ar' ? !arabic : (!latin || arabic)) return `<h1> "${facts.h1}" is not in ${lang}`;
    },
  };
}

// An error summary (role=alert) that links to the input with id `field`, which is aria-invalid.
export function summaryLinks(field) {
  return async (page) => {
    const s = await page.evaluate((id) => ({
      alert: document.querySelector('.error-summary')?.getAttribute('role'),
      links: [...document.querySelectorAll('.error-summary a[href^="#"]')].map((a) => a.getAttribute('href')),
      invalid: document.getElementById(id)?.getAttribute('aria-invalid'),
    }), field);
    if (s.alert !== 'alert') return `error summary role="${s.alert}", want "alert"`;
    if (!s.links.includes(`#${field}`)) return `the summary has no link to #${field} (links: ${s.links.join(' ')})`;
    if (s.invalid !== 'true') return `#${field} is not aria-invalid`;
  };
}

// Every page checks, in both languages, for each path.
export async function testPages(browser, paths, opts = {}) {
  for (const path of paths) {
    for (const lang of Object.keys(LANGS)) await testPage(browser, path, lang, opts);
  }
}

// slug names a page's screenshots: "/" -> "home", "/m/hebron" -> "m-hebron".
export function slug(path) {
  const s = path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'home';
}
