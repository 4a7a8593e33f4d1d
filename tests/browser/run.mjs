// Browser tests (DESIGN.md "Universal access"): every page, in Arabic and English, in Debian's
// Chromium: zero axe-core WCAG 2.1 A/AA violations, lang/dir, one <main>, skip link first, works
// without JavaScript, no third-party requests, no horizontal scroll at 320 px, screenshots.
// The anonymous pages come from a crawl; the signed-in ones (a resident who registers here, and
// demo staff who log in and enrol an authenticator) are listed below.
// Usage: BASE_URL=http://127.0.0.1:PORT [STAFF_ADMIN_PASSWORD=... STAFF_AUDITOR_PASSWORD=...]
//        node tests/browser/run.mjs
// The staff passwords are the ones `baladiya seed --demo` printed for hebron.admin and
// hebron.auditor (scripts/test.sh passes them). Staff enrol on first login, so the signed-in
// checks need a freshly seeded database.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { check, summary, launch, newPage } from './harness.mjs';
import { crawl, slug } from './crawl.mjs';
import { fillForm, register, staffSignIn, submit } from './signin.mjs';
import { counterMapChecks, mapChecks } from './map.mjs';

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

// testPage runs the checks on one page in one language. By default it opens `path` with GET as
// an anonymous visitor; `opts` changes that for signed-in pages and form results:
//   label   the name in the report and the screenshots (default: path)
//   state   storage state (cookies) of a signed-in person, for every context opened here
//   status  the expected HTTP status (default: any below 400; 404 for NOT_FOUND)
//   stay    the final URL must still have this path (a lost session would redirect to /login)
//   open    async (page, lang) => response: how to reach the page (e.g. fill and submit a form)
//   reopen  whether the skip-link check may open the page again (default true; false when
//           opening again has a cost, e.g. a rate-limited form, or is impossible)
//   noJs    whether to check the page without JavaScript (default true; opened with `open`)
//   more    { name, fn: async (page, facts) => problem }: one more check for this page
async function testPage(browser, path, lang, opts = {}) {
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
    const problem = answered(page, await open(page, lang));
    if (problem) return problem;
    facts = await page.evaluate(docFacts);
  });
  if (!loaded) {
    await ctx.close();
    return null;
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

  if (opts.more) await check(`${name} ${opts.more.name}`, () => opts.more.fn(page, facts));

  await check(`${name} screenshots 1280/360`, async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: join(SHOTS, `${slug(label)}-${lang}-${width}.png`), fullPage: true });
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
    if (opts.reopen === false) {
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

// The signed-in part. The resident of the brief: a valid (check-digit) national ID.
const RESIDENT = {
  national_id: '401234562', full_name_ar: 'سلمى الخليلي', phone: '0599123456',
  password: 'olive-harvest-season',
};
const RESIDENT_1 = RESIDENT;
// A neighbour who reported a problem first (the duplicate check's flow).
const NEIGHBOUR = {
  national_id: '123456782', full_name_ar: 'يوسف النتشة', phone: '0599765432',
  password: 'grape-harvest-season',
};
// Wrong check digit, no name, a short phone, a common password: every field has an error.
const BAD_RESIDENT = { national_id: '401234563', full_name_ar: '', phone: '123', password: 'password' };
const STAFF = {
  admin: { login: 'hebron.admin', password: process.env.STAFF_ADMIN_PASSWORD || '' },
  auditor: { login: 'hebron.auditor', password: process.env.STAFF_AUDITOR_PASSWORD || '' },
  counter: { login: 'hebron.counter', password: process.env.STAFF_COUNTER_PASSWORD || '' },
  clerk: { login: 'hebron.clerk', password: process.env.STAFF_CLERK_PASSWORD || '' },
  head: { login: 'hebron.head', password: process.env.STAFF_HEAD_PASSWORD || '' },
};

// The session cookies of a signed-in context, without the language cookie, so that Arabic stays
// the default and English is asked for with ?lang=en as on the anonymous pages.
const sessionOnly = (state) => state && { ...state, cookies: state.cookies.filter((c) => c.name !== 'lang') };

// A resident registers through /register (or, when the ID is already taken because the database
// was used before, logs in with the same password) and ends on /account.
async function residentSession(browser, RESIDENT = RESIDENT_1) {
  let state = null;
  await check(`resident ${RESIDENT.national_id}: registers at /register and lands on /account`, async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      try {
        await register(page, ORIGIN + '/register', RESIDENT);
      } catch (e) {
        if (!(await page.locator('#national_id-error').count())) throw e;
        await page.goto(ORIGIN + '/login', { waitUntil: 'load' });
        await fillForm(page, 'form[action="/login"]', { login: RESIDENT.national_id, password: RESIDENT.password });
        await submit(page, 'form[action="/login"]');
        if (new URL(page.url()).pathname !== '/account') throw e;
      }
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  return state;
}

// The refused registration: 422, an error summary that names each field and links to it.
async function failedRegistration(page, lang) {
  await page.goto(urlFor('/register', lang), { waitUntil: 'load' });
  await fillForm(page, 'form[action="/register"]', BAD_RESIDENT);
  return submit(page, 'form[action="/register"]');
}
async function errorSummary(page) {
  const s = await page.evaluate(() => {
    const box = document.querySelector('.error-summary');
    if (!box) return null;
    return {
      alert: box.getAttribute('role'),
      links: [...box.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)),
      invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id),
    };
  });
  if (!s) return 'no .error-summary on the page';
  const want = Object.keys(BAD_RESIDENT);
  const bad = [];
  if (s.alert !== 'alert') bad.push(`error summary role="${s.alert}", want "alert"`);
  for (const id of want) {
    if (!s.links.includes(id)) bad.push(`the summary has no link to #${id} (links: ${s.links.join(' ')})`);
    if (!s.invalid.includes(id)) bad.push(`#${id} is not aria-invalid`);
  }
  return bad.join('\n');
}

// An error page "in the right language": its heading is written in that language's script.
function headingInLanguage(lang) {
  return {
    name: `the <h1> is in ${lang === 'ar' ? 'Arabic' : 'English'}`,
    fn: (page, facts) => {
      const arabic = /[\u0600-\u06FF]/.test(facts.h1);
      const latin = /[A-Za-z]/.test(facts.h1);
      if (lang === 'ar' ? !arabic : (!latin || arabic)) return `<h1> "${facts.h1}" is not in ${lang}`;
    },
  };
}

// "Forgot password" end to end: the code goes out through the outbox to the server's drop folder
// (OUTBOX_DIR, the --mail-drop of scripts/test.sh), where the test reads it as a phone would.
const OUTBOX_DIR = process.env.OUTBOX_DIR || '';
const E164 = '+970' + RESIDENT.phone.slice(1);

function smsFiles() {
  try {
    return readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt'));
  } catch {
    return []; // not created yet
  }
}

// The code in the first SMS to the resident's phone that is not among `before` (each request
// replaces the previous code, so only a new message will do).
async function newCode(before) {
  for (let i = 0; i < 100; i++) {
    for (const f of smsFiles().filter((f) => !before.has(f))) {
      const text = readFileSync(join(OUTBOX_DIR, f), 'utf8');
      const body = text.slice(text.indexOf('\n\n') + 2); // after the "To:" line
      const code = text.startsWith(`To: ${E164}\n`) && body.match(/[0-9]{8}/);
      if (code) return code[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new SMS with a code for ${E164} in ${OUTBOX_DIR}`);
}

async function askForCode(page, lang) {
  await page.goto(urlFor('/password/forgot', lang), { waitUntil: 'load' });
  await fillForm(page, 'form[action="/password/forgot"]', { login: RESIDENT.national_id });
  return submit(page, 'form[action="/password/forgot"]');
}

// Resets the password to the same one, so the resident's later sign-ins still work.
async function resetPassword(page, lang) {
  const before = new Set(smsFiles());
  await askForCode(page, lang);
  const code = await newCode(before);
  await fillForm(page, 'form[action="/password/reset"]', { code, password: RESIDENT.password });
  return submit(page, 'form[action="/password/reset"]');
}

async function forgotPassword(browser) {
  if (!OUTBOX_DIR) {
    await check('forgot password: OUTBOX_DIR is set (scripts/test.sh sets it)', async () => 'OUTBOX_DIR is not set');
    return;
  }
  // The empty reset form; then two real resets, which ask for two codes (the limit refuses only
  // past three requests in 15 minutes).
  for (const lang of Object.keys(LANGS)) await testPage(browser, '/password/reset', lang);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/password/reset', lang, {
      label: '/password/reset done (code read from the SMS)', open: resetPassword, reopen: false,
      noJs: false, stay: '/password/reset',
    });
  }
}

// Applying for a street-light report (engineering department) one page at a time.
const REPORT = '/m/hebron/services/street-light-report';
async function startReport(page, lang) {
  await page.goto(urlFor(REPORT, lang), { waitUntil: 'load' });
  return submit(page, `form[action="${REPORT}/apply"]`);
}
async function emptyQuestionPage(page, lang) {
  await startReport(page, lang);
  return submit(page, 'form[action^="/applications/"]');
}
async function answeredReport(page, lang) {
  await startReport(page, lang);
  const form = 'form[action^="/applications/"]';
  await fillForm(page, form, { location: 'بجانب مسجد الحسين، شارع عين سارة', description: 'العمود مطفأ منذ ثلاث ليالٍ' });
  await page.locator(`${form} input[name="problem"][value="not_working"]`).check();
  return submit(page, form);
}
async function submittedReport(page, lang) {
  await answeredReport(page, lang);
  await page.locator('#declaration').check();
  return submit(page, 'form[action$="/check"]');
}

// ---- municipal boundaries (src/catalog/boundaries.h): begin ---------------------------------
// A point in Nablus filed with Hebron: "check your answers" says where the report will go, and
// the confirmation where it went.
const NABLUS_POINT = '32.222,35.258';
async function routedReport(page, lang) {
  await startReport(page, lang);
  const form = 'form[action^="/applications/"]';
  await fillForm(page, form, { location: NABLUS_POINT, description: 'العمود مطفأ منذ ثلاث ليالٍ' });
  await page.locator(`${form} input[name="problem"][value="not_working"]`).check();
  return submit(page, form);
}
async function submittedRoutedReport(page, lang) {
  await routedReport(page, lang);
  await page.locator('#declaration').check();
  return submit(page, 'form[action$="/check"]');
}
const ROUTED_TEXT = {
  ar: /هذا الموقع في نابلس: (سيصل|أُرسل) بلاغك إلى بلدية نابلس/,
  en: /This location is in Nablus: your report (will go|went) to Nablus Municipality/,
};
const saysRouted = (lang) => ({
  name: 'says the report goes to Nablus',
  fn: async (page) => {
    const text = await page.locator('main').innerText();
    if (!ROUTED_TEXT[lang].test(text)) return `no "${ROUTED_TEXT[lang]}" in the page`;
  },
});
async function routing(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers (a point in Nablus)', state: resident, open: routedReport, reopen: false,
      more: saysRouted(lang),
    });
    await testPage(browser, '/account/cases/case', lang, {
      label: 'submitted case page (went to Nablus)', state: resident, open: submittedRoutedReport,
      reopen: false, noJs: false, more: saysRouted(lang),
    });
  }
}
// The head transfers the first report of the queue: the form, a refusal (no municipality
// chosen: 422, the summary links to the select), and the transfer done.
async function openTransfer(page, lang) {
  await page.goto(urlFor('/m/hebron/queue', lang), { waitUntil: 'load' });
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator('table a[href^="/m/hebron/cases/"]').first().click();
  await nav;
  const res = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator('a[href$="/transfer"]').first().click();
  return res;
}
async function refusedTransfer(page, lang) {
  await openTransfer(page, lang);
  await page.locator('select[name="municipality"]').selectOption('');
  return submit(page, 'form[action$="/transfer"]');
}
async function doneTransfer(page, lang) {
  await openTransfer(page, lang);
  await page.locator('select[name="municipality"]').selectOption('nablus');
  return submit(page, 'form[action$="/transfer"]');
}
const municipalityRefused = async (page) => {
  const s = await page.evaluate(() => ({
    alert: document.querySelector('.error-summary')?.getAttribute('role'),
    links: [...document.querySelectorAll('.error-summary a[href^="#"]')].map((a) => a.getAttribute('href')),
    invalid: document.querySelector('#municipality')?.getAttribute('aria-invalid'),
  }));
  if (s.alert !== 'alert') return `error summary role="${s.alert}", want "alert"`;
  if (!s.links.includes('#municipality')) return `no link to #municipality (links: ${s.links.join(' ')})`;
  if (s.invalid !== 'true') return '#municipality is not aria-invalid';
};
async function transfers(browser, head) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer page (${STAFF.head.login})`, state: head, open: openTransfer, reopen: false,
    });
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer refused (422) (${STAFF.head.login})`, state: head, status: 422, open: refusedTransfer,
      reopen: false, noJs: false, more: { name: 'error summary links the select', fn: municipalityRefused },
    });
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer done (${STAFF.head.login})`, state: head, open: doneTransfer, reopen: false, noJs: false,
    });
  }
}
// ---- municipal boundaries: end -------------------------------------------------------------

async function applying(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, REPORT, lang, { label: `${REPORT} (resident)`, state: resident, stay: REPORT });
    await testPage(browser, '/applications/page', lang, {
      label: 'question page refused (422)', state: resident, status: 422, open: emptyQuestionPage, reopen: false,
    });
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers', state: resident, open: answeredReport, reopen: false,
    });
    await testPage(browser, '/account/cases/case', lang, {
      label: 'submitted case page', state: resident, open: submittedReport, reopen: false, noJs: false,
    });
    await testPage(browser, '/account/cases', lang, { label: '/account/cases (resident)', state: resident, stay: '/account/cases' });
  }
  await mapChecks(browser, { origin: ORIGIN, state: resident, startReport, langs: Object.keys(LANGS), axeTags: AXE_TAGS });
}

// ---- the 50 m duplicate check (src/cases/follow_web.h): begin ----------------------------------
// Two reports at the same point: a neighbour files the first; the resident's "check your answers"
// lists it (within 50 m) with a button to follow it instead; following lands on the followed
// report's page. The clerk's page of a report the resident files anyway offers to merge it into
// the first.
const HERE = '31.5326,35.0998';
const CLOSE_BY = '31.5327,35.0999'; // about 15 m away
const dup = { first: '', second: '' };
async function reportAt(page, lang, location) {
  await startReport(page, lang);
  const form = 'form[action^="/applications/"]';
  await fillForm(page, form, { location, description: 'عمود الإنارة مطفأ' });
  await page.locator(`${form} input[name="problem"][value="not_working"]`).check();
  return submit(page, form);
}
async function fileAt(page, lang, location) {
  await reportAt(page, lang, location);
  await page.locator('#declaration').check();
  const res = await submit(page, 'form[action$="/check"]');
  return { res, tracking: new URL(page.url()).pathname.split('/').pop() };
}
const listsTheFirst = {
  name: 'lists the open report 15 m away with a follow button',
  fn: async (page) => {
    const text = await page.locator('#nearby').textContent().catch(() => '');
    if (!text.includes(dup.first)) return `#nearby does not list ${dup.first}`;
    if (!(await page.locator('#nearby form[action$="/follow"] button').count())) return 'no follow button';
  },
};
async function duplicateCheck(browser, resident) {
  const neighbour = await residentSession(browser, NEIGHBOUR);
  await check('duplicates: a neighbour files a report at a point', async () => {
    const ctx = await browser.newContext({ storageState: neighbour });
    try {
      const page = await ctx.newPage();
      const { res, tracking } = await fileAt(page, 'ar', HERE);
      if (!res || res.status() !== 200 || !tracking.startsWith('HEB-')) return `filed at ${page.url()}`;
      dup.first = tracking;
    } finally {
      await ctx.close();
    }
  });
  const follow = async (page, lang) => {
    await reportAt(page, lang, CLOSE_BY);
    return submit(page, '#nearby form[action$="/follow"]');
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers with open reports nearby', state: resident,
      open: (page, l) => reportAt(page, l, CLOSE_BY), reopen: false, more: listsTheFirst,
    });
    await testPage(browser, '/account/followed/report', lang, {
      label: 'followed report (after following it instead of filing)', state: resident, open: follow,
      reopen: false, more: {
        name: 'confirms the follow of the first report',
        fn: async (page) => {
          const at = new URL(page.url()).pathname;
          if (at !== `/account/followed/${dup.first}`) return `ended at ${at}`;
          if (!(await page.locator('.notice').count())) return 'no confirmation notice';
        },
      },
    });
    await testPage(browser, '/account/followed', lang, {
      label: '/account/followed (resident)', state: resident, stay: '/account/followed',
    });
  }
  await check('duplicates: the same resident files anyway, 15 m away', async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      const { tracking } = await fileAt(page, 'en', CLOSE_BY);
      if (!tracking.startsWith('HEB-')) return `filed at ${page.url()}`;
      dup.second = tracking;
    } finally {
      await ctx.close();
    }
  });
}
async function mergeForm(browser, clerk) {
  const page = `/m/hebron/cases/${dup.second}`;
  const refused = async (p, lang) => {
    await p.goto(urlFor(page, lang), { waitUntil: 'load' });
    await fillForm(p, `form[action="${page}/merge"]:has(#into)`, { into: dup.second });
    return submit(p, `form[action="${page}/merge"]:has(#into)`);
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, page, lang, {
      label: 'case page with the merge form', state: clerk, stay: page, more: {
        name: 'offers to merge into the report 15 m away',
        fn: async (p) => {
          if (!(await p.locator(`input[name="into"][value="${dup.first}"]`).count())) return `${dup.first} not offered`;
        },
      },
    });
    await testPage(browser, `${page}/merge`, lang, {
      label: 'merge into itself refused (422)', state: clerk, status: 422, open: refused, reopen: false,
      noJs: false,
    });
  }
}
// ---- the 50 m duplicate check: end ------------------------------------------------------------

async function signedInPages(browser) {
  const resident = await residentSession(browser);
  for (const path of ['/account', '/account/totp', '/account/close']) {
    for (const lang of Object.keys(LANGS)) {
      await testPage(browser, path, lang, { label: `${path} (resident)`, state: resident, stay: path });
    }
  }
  await applying(browser, resident);
  // ---- open311's public report pages (src/open311/pages.h): begin -------------------------
  // The reports just filed, as anyone sees them: the list, a filtered list, one report's page.
  const openFirstReport = async (page, lang) => {
    await page.goto(urlFor('/m/hebron/reports', lang), { waitUntil: 'load' });
    const link = page.locator('table a[href^="/m/hebron/reports/"]').first();
    const nav = page.waitForNavigation({ waitUntil: 'load' });
    await link.click();
    return nav;
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/reports', lang, { label: '/m/hebron/reports (with reports)' });
    await testPage(browser, '/m/hebron/reports?category=street-light-report&status=open', lang, {
      label: '/m/hebron/reports filtered',
    });
    await testPage(browser, '/m/hebron/reports/report', lang, {
      label: 'public report page', open: openFirstReport, reopen: false,
    });
  }
  // ---- open311's public report pages: end ---------------------------------------------------
  await routing(browser, resident);
  await duplicateCheck(browser, resident);
  // Opened twice per language (here and without JavaScript): 4 refusals stay under the
  // registration rate limit (5 a minute from one address).
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/register', lang, {
      label: '/register refused (422)', status: 422, stay: '/register',
      open: failedRegistration, reopen: false, more: { name: 'error summary names and links every field', fn: errorSummary },
    });
  }

  // Staff enrol once (one in each language) and keep the elevated session for their pages.
  const enrol = (who) => (page, lang) => staffSignIn(page, urlFor('/login', lang), who.login, who.password);
  const admin = sessionOnly(await testPage(browser, '/account/totp', 'ar', {
    label: `/account/totp enrolment, recovery codes (${STAFF.admin.login})`, open: enrol(STAFF.admin),
    reopen: false, noJs: false,
  }));
  const auditor = sessionOnly(await testPage(browser, '/account/totp', 'en', {
    label: `/account/totp enrolment, recovery codes (${STAFF.auditor.login})`, open: enrol(STAFF.auditor),
    reopen: false, noJs: false,
  }));
  const counter = sessionOnly(await testPage(browser, '/account/totp', 'ar', {
    label: `/account/totp enrolment, recovery codes (${STAFF.counter.login})`, open: enrol(STAFF.counter),
    reopen: false, noJs: false,
  }));
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/staff', lang, {
      label: `/m/hebron/staff (${STAFF.admin.login})`, state: admin, stay: '/m/hebron/staff',
    });
  }
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/admin/services', lang, {
      label: `/m/hebron/admin/services (${STAFF.admin.login})`, state: admin,
      stay: '/m/hebron/admin/services',
    });
  }
  // ---- open311's API key pages (src/open311/pages.h): begin ---------------------------------
  // The admin's keys, a key issued (shown once, 201), and the question before a revocation.
  const KEYS = '/m/hebron/admin/open311-keys';
  const issueKey = async (page, lang) => {
    await page.goto(urlFor(KEYS, lang), { waitUntil: 'load' });
    await fillForm(page, `form[action="${KEYS}"]`, { label: `Browser test (${lang})` });
    return submit(page, `form[action="${KEYS}"]`);
  };
  const askToRevoke = async (page, lang) => {
    await page.goto(urlFor(KEYS, lang), { waitUntil: 'load' });
    const link = page.locator('table a[href$="/revoke"]').first();
    const nav = page.waitForNavigation({ waitUntil: 'load' });
    await link.click();
    return nav;
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, KEYS, lang, { label: `${KEYS} (${STAFF.admin.login})`, state: admin, stay: KEYS });
    await testPage(browser, KEYS, lang, {
      label: `${KEYS} key issued (${STAFF.admin.login})`, state: admin, status: 201, stay: KEYS,
      open: issueKey, reopen: false,
    });
    await testPage(browser, `${KEYS}/revoke`, lang, {
      label: `${KEYS} revocation question (${STAFF.admin.login})`, state: admin, open: askToRevoke,
      reopen: false,
    });
  }
  // ---- open311's API key pages: end -----------------------------------------------------------
  // ---- the service editor (src/cases/editor.h): begin --------------------------------------
  // The admin's editor pages, and one refused edit (a question named like another: 422, the
  // summary links to the name input, which is marked invalid). Nothing here changes a service.
  const EDITOR = '/m/hebron/admin/services/clearance-certificate';
  const ADD_FIELD = `${EDITOR}/form/pages/1/fields/new`;
  const refusedField = async (page, lang) => {
    await page.goto(urlFor(ADD_FIELD, lang), { waitUntil: 'load' });
    const form = `form[action="${ADD_FIELD}"]`;
    await fillForm(page, form, { name: 'purpose', label_ar: 'الغرض', label_en: 'Purpose' });
    return submit(page, form);
  };
  const nameRefused = async (page) => {
    const s = await page.evaluate(() => ({
      alert: document.querySelector('.error-summary')?.getAttribute('role'),
      links: [...document.querySelectorAll('.error-summary a[href^="#"]')].map((a) => a.getAttribute('href')),
      invalid: document.querySelector('#name')?.getAttribute('aria-invalid'),
    }));
    if (s.alert !== 'alert') return `error summary role="${s.alert}", want "alert"`;
    if (!s.links.includes('#name')) return `the summary has no link to #name (links: ${s.links.join(' ')})`;
    if (s.invalid !== 'true') return '#name is not aria-invalid';
  };
  for (const lang of Object.keys(LANGS)) {
    for (const path of [EDITOR, `${EDITOR}/form`, `${EDITOR}/form/fields/purpose`, `${EDITOR}/workflow`,
      `${EDITOR}/notifications`]) {
      await testPage(browser, path, lang, { label: `${path} (${STAFF.admin.login})`, state: admin, stay: path });
    }
    await testPage(browser, ADD_FIELD, lang, {
      label: `${ADD_FIELD} refused (422)`, state: admin, status: 422, stay: ADD_FIELD,
      open: refusedField, reopen: false, more: { name: 'error summary links the refused input', fn: nameRefused },
    });
  }
  // ---- the service editor: end --------------------------------------------------------------
  // The counter finds the resident registered above: personal data masked, a Show button each.
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, `/m/hebron/residents?q=${RESIDENT.national_id}`, lang, {
      label: `/m/hebron/residents (${STAFF.counter.login})`, state: counter,
      stay: '/m/hebron/residents',
    });
  }
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/counter', lang, {
      label: `/m/hebron/counter (${STAFF.counter.login})`, state: counter, stay: '/m/hebron/counter',
    });
  }
  await counterMapChecks(browser, {
    origin: ORIGIN, state: counter, resident: RESIDENT.national_id, urlFor, langs: Object.keys(LANGS),
  });
  // The engineering clerk works the queue the resident's reports landed in.
  const clerk = sessionOnly(await testPage(browser, '/account/totp', 'en', {
    label: `/account/totp enrolment, recovery codes (${STAFF.clerk.login})`, open: enrol(STAFF.clerk),
    reopen: false, noJs: false,
  }));
  const openFirstCase = async (page, lang) => {
    await page.goto(urlFor('/m/hebron/queue', lang), { waitUntil: 'load' });
    const link = page.locator('table a[href^="/m/hebron/cases/"]').first();
    const nav = page.waitForNavigation({ waitUntil: 'load' });
    await link.click();
    return nav;
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/queue', lang, {
      label: `/m/hebron/queue (${STAFF.clerk.login})`, state: clerk, stay: '/m/hebron/queue',
    });
    await testPage(browser, '/m/hebron/cases/case', lang, {
      label: `case page (${STAFF.clerk.login})`, state: clerk, open: openFirstCase, reopen: false,
    });
  }
  await mergeForm(browser, clerk);
  // The department head sees the same queue with boxes to assign several cases at once.
  const head = sessionOnly(await testPage(browser, '/account/totp', 'ar', {
    label: `/account/totp enrolment, recovery codes (${STAFF.head.login})`, open: enrol(STAFF.head),
    reopen: false, noJs: false,
  }));
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/queue', lang, {
      label: `/m/hebron/queue with bulk assignment (${STAFF.head.login})`, state: head,
      stay: '/m/hebron/queue',
    });
  }
  await transfers(browser, head);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/audit', lang, {
      label: `/m/hebron/audit (${STAFF.auditor.login})`, state: auditor, stay: '/m/hebron/audit',
    });
  }
  // Forgot password last (it ends the resident's sessions), then the messages it left behind.
  await forgotPassword(browser);
  const again = await residentSession(browser);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/notifications', lang, {
      label: '/account/notifications (resident, after the reset)', state: again,
      stay: '/account/notifications',
    });
  }
  // The negative check: an auditor may not manage staff.
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/staff', lang, {
      label: `/m/hebron/staff refused to ${STAFF.auditor.login} (403)`, state: auditor, status: 403,
      stay: '/m/hebron/staff', more: headingInLanguage(lang),
    });
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
  console.log('# signed in: a resident, hebron.admin, hebron.auditor, hebron.counter');
  await signedInPages(run.browser);
} finally {
  await run.close();
}
process.exit(summary() ? 0 : 1);
