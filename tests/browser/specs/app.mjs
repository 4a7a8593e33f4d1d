// The app shell: every crawled page no other spec claims (home, the municipalities' pages, the
// not-found page, anything new), in Arabic and English, and the language switch.
import { check, newPage, ORIGIN, spec, testPages } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';

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

await spec(async (browser) => {
  const pages = await crawledPages(browser, 'app');
  await testPages(browser, pages);
  const other = pages.find((p) => p.startsWith('/m/')) || pages.find((p) => p !== '/') || '/';
  await testLanguageSwitch(browser, other);
});
