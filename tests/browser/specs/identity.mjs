// Identity: the sign-in pages the crawl finds, a resident who registers and their account pages,
// a refused registration, staff who log in and enrol an authenticator, the staff page and its
// refusal to an auditor, and a password reset whose code comes by SMS.
import { LANGS, headingInLanguage, spec, testPage, testPages, urlFor } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';
import {
  BAD_RESIDENT, haveOutbox, resetPassword, residentSession, STAFF, staffSession,
} from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

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

// The empty reset form; then two real resets, which ask for two codes (the limit refuses only
// past three requests in 15 minutes).
async function forgotPassword(browser) {
  if (!(await haveOutbox())) return;
  await testPages(browser, ['/password/reset']);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/password/reset', lang, {
      label: '/password/reset done (code read from the SMS)', open: resetPassword, reopen: false,
      noJs: false, stay: '/password/reset',
    });
  }
}

await spec(async (browser) => {
  await testPages(browser, await crawledPages(browser, 'identity'));
  const resident = await residentSession(browser);
  for (const path of ['/account', '/account/totp', '/account/close']) {
    for (const lang of Object.keys(LANGS)) {
      await testPage(browser, path, lang, { label: `${path} (resident)`, state: resident, stay: path });
    }
  }
  // Opened twice per language (here and without JavaScript): 4 refusals stay under the
  // registration rate limit (5 a minute from one address).
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/register', lang, {
      label: '/register refused (422)', status: 422, stay: '/register',
      open: failedRegistration, reopen: false, more: { name: 'error summary names and links every field', fn: errorSummary },
    });
  }
  // Staff enrol once (one in each language) and keep the elevated session for their pages.
  const admin = await staffSession(browser, STAFF.admin, 'ar');
  const auditor = await staffSession(browser, STAFF.auditor, 'en');
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/staff', lang, {
      label: `/m/hebron/staff (${STAFF.admin.login})`, state: admin, stay: '/m/hebron/staff',
    });
  }
  // Forgot password last (it ends the resident's sessions).
  await forgotPassword(browser);
  // The negative check: an auditor may not manage staff.
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/staff', lang, {
      label: `/m/hebron/staff refused to ${STAFF.auditor.login} (403)`, state: auditor, status: 403,
      stay: '/m/hebron/staff', more: headingInLanguage(lang),
    });
  }
});
