// Applying for a street-light report (engineering department) one page at a time, as the
// resident does it: the steps the cases, open311, notify and map specs share. Each function
// leaves the page on the page that answered and returns that response.
import { fillForm, submit } from './signin.mjs';
import { check, urlFor } from './harness.mjs';

export const REPORT = '/m/hebron/services/street-light-report';
export const QUESTION = 'form[action^="/applications/"]';

export async function startReport(page, lang) {
  await page.goto(urlFor(REPORT, lang), { waitUntil: 'load' });
  return submit(page, `form[action="${REPORT}/apply"]`);
}

export async function emptyQuestionPage(page, lang) {
  await startReport(page, lang);
  return submit(page, QUESTION);
}

// The question page answered at `location`: "check your answers" follows.
export async function reportAt(page, lang, location, description = 'العمود مطفأ منذ ثلاث ليالٍ') {
  await startReport(page, lang);
  await fillForm(page, QUESTION, { location, description });
  await page.locator(`${QUESTION} input[name="problem"][value="not_working"]`).check();
  return submit(page, QUESTION);
}

// "Check your answers" confirmed: the submitted case's page follows.
export async function confirm(page) {
  await page.locator('#declaration').check();
  return submit(page, 'form[action$="/check"]');
}

export const answeredReport = (page, lang) => reportAt(page, lang, 'بجانب مسجد الحسين، شارع عين سارة');
export async function submittedReport(page, lang) {
  await answeredReport(page, lang);
  return confirm(page);
}

// The duplicate check's reports: a lamp out at `location`, up to "check your answers".
export const lampOut = (page, lang, location) => reportAt(page, lang, location, 'عمود الإنارة مطفأ');

// Files a lamp-out report at `location`; returns the response and the tracking number from the
// URL.
export async function fileAt(page, lang, location) {
  await lampOut(page, lang, location);
  const res = await confirm(page);
  return { res, tracking: new URL(page.url()).pathname.split('/').pop() };
}

// As the person signed in with `state`, files a report (at `location`, or the answered report
// when none is given) in `lang`, as one check named `name`. Returns its tracking number ('' when
// the check failed).
export async function fileReport(browser, state, name, lang, location = '') {
  let tracking = '';
  await check(name, async () => {
    const ctx = await browser.newContext({ storageState: state });
    try {
      const page = await ctx.newPage();
      const res = location
        ? (await fileAt(page, lang, location)).res
        : await submittedReport(page, lang);
      const last = new URL(page.url()).pathname.split('/').pop();
      if (!res || res.status() !== 200 || !last.startsWith('HEB-')) return `filed at ${page.url()}`;
      tracking = last;
    } finally {
      await ctx.close();
    }
  });
  return tracking;
}

// ---- municipal boundaries (catalog) -------------------------------------------------------------
// A point in Nablus filed with Hebron: "check your answers" says where the report will go, and
// the confirmation where it went.
const NABLUS_POINT = '32.222,35.258';
export const routedReport = (page, lang) => reportAt(page, lang, NABLUS_POINT);
export async function submittedRoutedReport(page, lang) {
  await routedReport(page, lang);
  return confirm(page);
}
const ROUTED_TEXT = {
  ar: /هذا الموقع في نابلس: (سيصل|أُرسل) بلاغك إلى بلدية نابلس/,
  en: /This location is in Nablus: your report (will go|went) to Nablus Municipality/,
};
export const saysRouted = (lang) => ({
  name: 'says the report goes to Nablus',
  fn: async (page) => {
    const text = await page.locator('main').innerText();
    if (!ROUTED_TEXT[lang].test(text)) return `no "${ROUTED_TEXT[lang]}" in the page`;
  },
});

// ---- the 50 m duplicate check (cases: following reports) ----------------------------------------
export const HERE = '31.5326,35.0998';
export const CLOSE_BY = '31.5327,35.0999'; // about 15 m away

// Opens the first link matching `selector` on the page at `path` and returns the response.
export async function openFirst(page, lang, path, selector) {
  await page.goto(urlFor(path, lang), { waitUntil: 'load' });
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator(selector).first().click();
  return nav;
}
