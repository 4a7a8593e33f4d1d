// analytics' pages: the performance pages, the comparison and the open data page the crawl finds
// (each with its charts and tables, in both languages, with and without JavaScript, at 320 px),
// the municipal admin's master data page (and a refused form), and the department head's
// dashboard.
import { LANGS, spec, testPage, testPages, urlFor } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';
import { STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const ADMIN = '/m/hebron/admin/kpi';
const DASHBOARD = '/m/hebron/staff/kpi';

async function refusePopulation(page, lang) {
  await page.goto(urlFor(ADMIN, lang), { waitUntil: 'load' });
  await fillForm(page, `form[action="${ADMIN}"]`, { population: 'many', population_source: '' });
  return submit(page, `form[action="${ADMIN}"]`);
}

await spec(async (browser) => {
  const crawled = await crawledPages(browser, 'analytics');
  // Deeper than the crawl goes: the comparison, a service's page, the open data page.
  const more = ['/performance', '/m/hebron/performance/street-light-report', '/m/hebron/open-data'];
  await testPages(browser, crawled.concat(more.filter((p) => !crawled.includes(p))));
  const admin = await staffSignedIn(browser, STAFF.admin);
  const head = await staffSignedIn(browser, STAFF.head);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, ADMIN, lang, { label: `${ADMIN} (${STAFF.admin.login})`, state: admin, stay: ADMIN });
    await testPage(browser, ADMIN, lang, {
      label: `${ADMIN} refused (${STAFF.admin.login})`, state: admin, status: 422, stay: ADMIN,
      open: refusePopulation, reopen: false,
    });
    await testPage(browser, DASHBOARD, lang, {
      label: `${DASHBOARD} (${STAFF.head.login})`, state: head, stay: DASHBOARD,
    });
  }
});
