// Browser tests (DESIGN.md "Universal access"): every page, in Arabic and English, in Debian's
// Chromium: zero axe-core WCAG 2.1 A/AA violations, lang/dir, one <main>, skip link first, works
// without JavaScript, no third-party requests, no horizontal scroll at 320 px, screenshots.
// Usage: BASE_URL=http://127.0.0.1:PORT node tests/browser/run.mjs
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { check, summary, launch, newPage } from './harness.mjs';
import { crawl, slug } from './crawl.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(ROOT, 'build', 'screenshots');
const BASE = (process.env.BASE_URL || process.argv[2] || '').replace(/\/+$/, '');
const NOT_FOUND = '/no-such-page';
const LANGS = { ar: 'rtl', en: 'ltr' };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

if (!BASE) {
  console.error('usage: BASE_URL=http://host:port node tests/browser/run.mjs');
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;

// Arabic is the default: no query, cookies cleared. English goes through ?lang=en.
function urlFor(path, lang) {
  const u = new URL(path, ORIGIN);
  if (lang !== 'ar') u.searchParams.set('lang', lang);
  return u.href;
}

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

async function testPage(browser, path, lang) {
  const name = `${path} [${lang}]`;
  const foreign = new Set();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await newPage(ctx, ORIGIN, foreign);
  let facts = null;

  const loaded = await check(`${name} loads`, async () => {
    const res = await page.goto(urlFor(path, lang), { waitUntil: 'load' });
    const want = path === NOT_FOUND ? 404 : null;
    if (want && res.status() !== want) return `status ${res.status()}, want ${want}`;
    if (!want && res.status() >= 400) return `status ${res.status()}`;
    facts = await page.evaluate(docFacts);
  });
  if (!loaded) {
    await ctx.close();
    return;
  }

  await check(`${name} axe WCAG 2.1 A/AA`, async () => {
    const r = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
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

  await check(`${name} screenshots 1280/360`, async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: join(SHOTS, `${slug(path)}-${lang}-${width}.png`), fullPage: true });
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
    await page.goto(urlFor(path, lang), { waitUntil: 'load' });
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

  await check(`${name} works without JavaScript`, async () => {
    const off = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await newPage(off, ORIGIN, foreign);
      await p.goto(urlFor(path, lang), { waitUntil: 'load' });
      const f = await p.evaluate(docFacts).catch(() => null) ?? await staticFacts(p);
      if (f.mains !== 1 || !f.h1) return `main: ${f.mains}, h1: "${f.h1}"`;
      if (f.h1 !== facts.h1) return `h1 "${f.h1}" differs from the JS page's "${facts.h1}"`;
    } finally {
      await off.close();
    }
  });

  await check(`${name} no third-party requests`, () => {
    if (foreign.size) return [...foreign].join('\n');
  });
  await ctx.close();
}

// With JavaScript off, page.evaluate still runs (it is the DevTools protocol, not page script),
// but fall back to locators in case a Chromium build refuses.
async function staticFacts(p) {
  return {
    mains: await p.locator('main').count(),
    h1: ((await p.locator('h1').first().textContent().catch(() => '')) || '').trim(),
  };
}

// The language link switches to English, a cookie remembers it, and switching back works.
async function testLanguageSwitch(browser, other) {
  const ctx = await browser.newContext();
  const foreign = new Set();
  const page = await newPage(ctx, ORIGIN, foreign);
  const lang = () => page.evaluate(() => document.documentElement.getAttribute('lang'));
  const follow = async (hreflang) => {
    const link = page.locator(`.lang-switch a[hreflang="${hreflang}"]`).first();
    const nav = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
    await link.click();
    await nav;
    await page.waitForLoadState('load');
  };
  try {
    await check('language: the link on the Arabic home switches to English', async () => {
      await page.goto(ORIGIN + '/', { waitUntil: 'load' });
      if ((await lang()) !== 'ar') return `home starts in "${await lang()}", want "ar"`;
      await follow('en');
      if ((await lang()) !== 'en') return `after the link: "${await lang()}"`;
    });
    await check(`language: English is remembered on ${other} without ?lang`, async () => {
      await page.goto(ORIGIN + other, { waitUntil: 'load' });
      if ((await lang()) !== 'en') return `got "${await lang()}"`;
    });
    await check('language: switching back to Arabic works and is remembered', async () => {
      await follow('ar');
      if ((await lang()) !== 'ar') return `after the link: "${await lang()}"`;
      await page.goto(ORIGIN + '/', { waitUntil: 'load' });
      if ((await lang()) !== 'ar') return `home without ?lang: "${await lang()}"`;
    });
  } finally {
    await ctx.close();
  }
}

const run = await launch();
try {
  let pages = [];
  await check(`crawl ${ORIGIN}`, async () => {
    const ctx = await run.browser.newContext();
    pages = await crawl(ctx, ORIGIN);
    await ctx.close();
    if (!pages.includes('/')) return 'home page "/" did not load';
  });
  pages = pages.filter((p) => p !== NOT_FOUND).concat(NOT_FOUND);
  if (!pages.includes('/')) pages.unshift('/');
  console.log(`# ${pages.length} pages: ${pages.join(' ')}`);
  for (const path of pages) {
    for (const lang of Object.keys(LANGS)) await testPage(run.browser, path, lang);
  }
  const other = pages.find((p) => p.startsWith('/m/')) || pages.find((p) => p !== '/') || '/';
  await testLanguageSwitch(run.browser, other);
} finally {
  await run.close();
}
process.exit(summary() ? 0 : 1);
