// Breadth-first crawl of the site's HTML pages, so new pages are tested without listing them.
// URLs are keyed by path and query minus `lang` (each page is tested in both languages anyway).

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

// slug names a page's screenshots: "/" -> "home", "/m/hebron" -> "m-hebron".
export function slug(path) {
  const s = path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'home';
}
