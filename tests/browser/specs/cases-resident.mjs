// Cases as the resident meets them: the catalogue pages and the tracking page the crawl finds,
// applying for a street-light report one page at a time (a refused page, "check your answers",
// the submitted case, my cases), a report at a point in Nablus routed there, and the 50 m
// duplicate check (a report nearby offered to follow instead of filing).
import { LANGS, spec, testPage, testPages } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';
import { NEIGHBOUR, residentSession } from '../people.mjs';
import {
  answeredReport, CLOSE_BY, emptyQuestionPage, fileReport, HERE, lampOut, REPORT, routedReport,
  saysRouted, submittedReport, submittedRoutedReport,
} from '../reports.mjs';
import { submit } from '../signin.mjs';

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
}

// A point in Nablus filed with Hebron: "check your answers" says where the report will go, and
// the confirmation where it went.
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

// Two reports at the same point: a neighbour files the first; the resident's "check your answers"
// lists it (within 50 m) with a button to follow it instead; following lands on the followed
// report's page; the resident may still file their own.
async function duplicateCheck(browser, resident) {
  const neighbour = await residentSession(browser, NEIGHBOUR);
  const first = await fileReport(browser, neighbour, 'duplicates: a neighbour files a report at a point', 'ar', HERE);
  const listsTheFirst = {
    name: 'lists the open report 15 m away with a follow button',
    fn: async (page) => {
      if (!first) return 'the neighbour filed no report to look for';
      const text = await page.locator('#nearby').textContent().catch(() => '');
      if (!text.includes(first)) return `#nearby does not list ${first}`;
      if (!(await page.locator('#nearby form[action$="/follow"] button').count())) return 'no follow button';
    },
  };
  const follow = async (page, lang) => {
    await lampOut(page, lang, CLOSE_BY);
    return submit(page, '#nearby form[action$="/follow"]');
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers with open reports nearby', state: resident,
      open: (page, l) => lampOut(page, l, CLOSE_BY), reopen: false, more: listsTheFirst,
    });
    await testPage(browser, '/account/followed/report', lang, {
      label: 'followed report (after following it instead of filing)', state: resident, open: follow,
      reopen: false, more: {
        name: 'confirms the follow of the first report',
        fn: async (page) => {
          const at = new URL(page.url()).pathname;
          if (at !== `/account/followed/${first}`) return `ended at ${at}`;
          if (!(await page.locator('.notice').count())) return 'no confirmation notice';
        },
      },
    });
    await testPage(browser, '/account/followed', lang, {
      label: '/account/followed (resident)', state: resident, stay: '/account/followed',
    });
  }
  await fileReport(browser, resident, 'duplicates: the same resident files anyway, 15 m away', 'en', CLOSE_BY);
}

await spec(async (browser) => {
  await testPages(browser, await crawledPages(browser, 'cases-resident'));
  const resident = await residentSession(browser);
  await applying(browser, resident);
  await routing(browser, resident);
  await duplicateCheck(browser, resident);
});
