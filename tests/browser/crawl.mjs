// Breadth-first crawl of the site's HTML pages, so new pages are tested without listing them.
// URLs are keyed by path and query minus `lang` (each page is tested in both languages anyway).
import { check, NOT_FOUND, ORIGIN } from './harness.mjs';

const MAX_PAGES = Number(process.env.CRAWL_MAX_PAGES || 40);
const MAX_DEPTH = 2;
// Machine endpoints and static files are not pages for people.
const SKIP = /^\/(assets|api|open311|metrics|healthz|readyz)(\/|$)/;

export function pageKey(url) {
  const u = new URL(url);
  u.searchParams.delete('lang');
  u.hash = '';
  return u.pathname + (u.searchParams.size ? `?${u.searchParams}` : '');
}

// crawl returns page paths (with query, without lang), `/` first, in discovery order.
export async function crawl(context, base) {
  const origin = new URL(base).origin;
  const seen = new Set(['/']);
  const found = [];
  let frontier = ['/'];
  const page = await context.newPage();
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next = [];
    for (const path of frontier) {
      if (found.length >= MAX_PAGES) break;
      await context.clearCookies(); // crawl in the default language
      const res = await page.goto(origin + path, { waitUntil: 'domcontentloaded' }).catch(() => null);
      const type = res ? res.headers()['content-type'] || '' : '';
      if (!res || res.status() >= 400 || !type.startsWith('text/html')) continue;
      found.push(path);
      if (depth === MAX_DEPTH) continue;
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
      for (const href of hrefs) {
        let u;
        try { u = new URL(href); } catch { continue; }
        if (u.origin !== origin || SKIP.test(u.pathname)) continue;
        const key = pageKey(u.href);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(key);
        }
      }
    }
    frontier = next;
  }
  await page.close();
  return found;
}

// Which spec tests a crawled page: the first area whose pattern matches the page's path. The app
// spec takes every page that no other area claims, so a new page is tested without being listed
// anywhere; each of these specs crawls its own server (the same seed gives the same pages).
const AREAS = [
  ['identity', /^\/(login|register|password)(\/|$)/],
  ['cases-resident', /^\/(track|m\/[^/]+\/services)(\/|$)/],
  ['open311', /^\/m\/[^/]+\/reports(\/|$)/],
  ['analytics', /^\/(performance|m\/[^/]+\/(performance|open-data))(\/|$)/],
  ['participation', /^\/m\/[^/]+\/participate(\/|$)/],
];
export function areaOf(path) {
  const p = path.split('?')[0];
  const hit = AREAS.find(([, re]) => re.test(p));
  return hit ? hit[0] : 'app';
}

// crawledPages crawls the spec's server (as one check) and returns the pages that `area` tests:
// for the app spec, also "/" and the not-found page.
export async function crawledPages(browser, area) {
  let pages = [];
  let mine = [];
  await check(`crawl ${ORIGIN} (the pages ${area} tests)`, async () => {
    const ctx = await browser.newContext();
    pages = await crawl(ctx, ORIGIN);
    await ctx.close();
    if (area === 'app') {
      pages = pages.filter((p) => p !== NOT_FOUND).concat(NOT_FOUND);
    }
    mine = pages.filter((p) => areaOf(p) === area);
    if (!pages.includes('/')) return 'home page "/" did not load';
    if (!mine.length) return `none of the ${pages.length} pages found is ${area}'s`;
  });
  if (area === 'app' && !mine.includes('/')) mine.unshift('/');
  console.log(`# ${mine.length} of ${pages.length} pages: ${mine.join(' ')}`);
  return mine;
}
