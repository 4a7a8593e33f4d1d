// Open311's pages: the public report lists the crawl finds, the same lists and a report's page
// once a resident has filed reports, and the admin's API key pages.
import { LANGS, spec, testPage, testPages, urlFor } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';
import { residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fileReport, openFirst } from '../reports.mjs';
import { fillForm, submit } from '../signin.mjs';

const KEYS = '/m/hebron/admin/open311-keys';

// A resident files a report in each language, so that the lists have something to show.
async function fileReports(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await fileReport(browser, resident, `open311: the resident files a street-light report [${lang}]`, lang);
  }
}

async function issueKey(page, lang) {
  await page.goto(urlFor(KEYS, lang), { waitUntil: 'load' });
  await fillForm(page, `form[action="${KEYS}"]`, { label: `Browser test (${lang})` });
  return submit(page, `form[action="${KEYS}"]`);
}

await spec(async (browser) => {
  await testPages(browser, await crawledPages(browser, 'open311'));
  await fileReports(browser, await residentSession(browser));
  // The reports just filed, as anyone sees them: the list, a filtered list, one report's page.
  const openFirstReport = (page, lang) =>
    openFirst(page, lang, '/m/hebron/reports', 'table a[href^="/m/hebron/reports/"]');
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/reports', lang, { label: '/m/hebron/reports (with reports)' });
    await testPage(browser, '/m/hebron/reports?category=street-light-report&status=open', lang, {
      label: '/m/hebron/reports filtered',
    });
    await testPage(browser, '/m/hebron/reports/report', lang, {
      label: 'public report page', open: openFirstReport, reopen: false,
    });
  }
  // The admin's keys, a key issued (shown once, 201), and the question before a revocation.
  const admin = await staffSignedIn(browser, STAFF.admin);
  const askToRevoke = (page, lang) => openFirst(page, lang, KEYS, 'table a[href$="/revoke"]');
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
});
