// Cases in the back office and at the counter, once residents have filed reports: the counter
// clerk finds a resident (personal data masked) and the counter page; the engineering clerk's
// queue, a case page and the merge of a duplicate report; the department head's queue with bulk
// assignment and the transfer of a case to another municipality. Staff enrol here, one page each.
import { LANGS, spec, summaryLinks, testPage, urlFor } from '../harness.mjs';
import { NEIGHBOUR, RESIDENT, residentSession, STAFF, staffSession } from '../people.mjs';
import { CLOSE_BY, fileReport, HERE, openFirst } from '../reports.mjs';
import { fillForm, submit } from '../signin.mjs';

const openFirstCase = (page, lang) => openFirst(page, lang, '/m/hebron/queue', 'table a[href^="/m/hebron/cases/"]');

// The page of the report filed 15 m from another offers to merge it into that one; merging it
// into itself is refused.
async function mergeForm(browser, clerk, dup) {
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
          if (!dup.first) return 'the neighbour filed no report to offer';
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

// The head transfers the first report of the queue: the form, a refusal (no municipality
// chosen: 422, the summary links to the select), and the transfer done.
// The head transfers one of the reports this spec filed (not whichever case heads the queue: a
// demo case there may be escalated by the server's housekeeping meanwhile, which changes its
// version and rightly refuses the transfer), reached from the queue by its link.
const transferOf = (tracking) => async (page, lang) => {
  await openFirst(page, lang, '/m/hebron/queue', `table a[href="/m/hebron/cases/${tracking}"]`);
  const res = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator('a[href$="/transfer"]').first().click();
  return res;
};
const transferTo = (tracking, municipality) => async (page, lang) => {
  await transferOf(tracking)(page, lang);
  await page.locator('select[name="municipality"]').selectOption(municipality);
  return submit(page, 'form[action$="/transfer"]');
};
async function transfers(browser, head, reports) {
  for (const [i, lang] of Object.keys(LANGS).entries()) {
    const openTransfer = transferOf(reports[i]);
    const refusedTransfer = transferTo(reports[i], '');
    const doneTransfer = transferTo(reports[i], 'nablus');
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer page (${STAFF.head.login})`, state: head, open: openTransfer, reopen: false,
    });
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer refused (422) (${STAFF.head.login})`, state: head, status: 422, open: refusedTransfer,
      reopen: false, noJs: false, more: { name: 'error summary links the select', fn: summaryLinks('municipality') },
    });
    await testPage(browser, '/m/hebron/cases/case/transfer', lang, {
      label: `transfer done (${STAFF.head.login})`, state: head, open: doneTransfer, reopen: false, noJs: false,
    });
  }
}

await spec(async (browser) => {
  // The queue's cases: a report in each language, then two reports 15 m apart (a neighbour's
  // first), as in cases-resident.
  const resident = await residentSession(browser);
  const neighbour = await residentSession(browser, NEIGHBOUR);
  const reports = [];
  for (const lang of Object.keys(LANGS)) {
    reports.push(await fileReport(browser, resident, `cases: the resident files a street-light report [${lang}]`, lang));
  }
  const dup = {};
  dup.first = await fileReport(browser, neighbour, 'duplicates: a neighbour files a report at a point', 'ar', HERE);
  dup.second = await fileReport(browser, resident, 'duplicates: the resident files another, 15 m away', 'en', CLOSE_BY);

  // The counter finds the resident registered above: personal data masked, a Show button each.
  const counter = await staffSession(browser, STAFF.counter, 'ar');
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
  // The engineering clerk works the queue the resident's reports landed in.
  const clerk = await staffSession(browser, STAFF.clerk, 'en');
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/queue', lang, {
      label: `/m/hebron/queue (${STAFF.clerk.login})`, state: clerk, stay: '/m/hebron/queue',
    });
    await testPage(browser, '/m/hebron/cases/case', lang, {
      label: `case page (${STAFF.clerk.login})`, state: clerk, open: openFirstCase, reopen: false,
    });
  }
  await mergeForm(browser, clerk, dup);
  // The department head sees the same queue with boxes to assign several cases at once.
  const head = await staffSession(browser, STAFF.head, 'ar');
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/queue', lang, {
      label: `/m/hebron/queue with bulk assignment (${STAFF.head.login})`, state: head,
      stay: '/m/hebron/queue',
    });
  }
  await transfers(browser, head, reports);
});
