// Participation: the public pages the crawl finds from the municipality page (the demo's strategic
// plan and its proposals); the counter verifies the resident's identity from their ID card (linked
// from the clerk's account page); the verified resident makes a proposal, supports a neighbour's
// and comments on it; the participation officer's pages (linked from the account page): the
// processes, a process refused with errors, and a process's phases and answers.
import { check, LANGS, ORIGIN, spec, testPage, testPages, urlFor } from '../harness.mjs';
import { crawledPages } from '../crawl.mjs';
import { RESIDENT, residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const OFFICER = { login: 'hebron.participation', password: process.env.STAFF_PARTICIPATION_PASSWORD || '' };
const LIST = '/m/hebron/participate';
const VERIFY = '/m/hebron/participation/verify';
const ADMIN = '/m/hebron/admin/participation';

// The path of the first link matching `selector` on `path`.
async function firstLink(browser, state, path, selector) {
  const ctx = await browser.newContext({ storageState: state || undefined });
  try {
    const page = await ctx.newPage();
    await page.goto(ORIGIN + path, { waitUntil: 'load' });
    const href = await page.locator(selector).first().getAttribute('href');
    return href ? href.split('?')[0] : '';
  } finally {
    await ctx.close();
  }
}

async function linked(browser, state, from, href) {
  await check(`participation: ${from} links ${href}`, async () => {
    const ctx = await browser.newContext({ storageState: state || undefined });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + from, { waitUntil: 'load' });
      if (!(await page.locator(`a[href="${href}"]`).count())) return `no link to ${href}`;
    } finally {
      await ctx.close();
    }
  });
}

await spec(async (browser) => {
  await linked(browser, null, '/m/hebron', LIST);
  await testPages(browser, await crawledPages(browser, 'participation'));
  const processPath = await firstLink(browser, null, LIST, `a[href^="${LIST}/"]:text-matches("Strategic|الاستراتيجية", "i")`);
  const resident = await residentSession(browser);

  // The counter verifies the resident's identity.
  const counter = await staffSignedIn(browser, STAFF.counter);
  await linked(browser, counter, '/account', '/participation/verify');
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, VERIFY, lang, { label: `${VERIFY} (${STAFF.counter.login})`, state: counter, stay: VERIFY });
  }
  await testPage(browser, VERIFY, 'en', {
    label: `${VERIFY} unknown ID refused`, state: counter, stay: VERIFY, status: 422, reopen: false, noJs: false,
    open: async (page, lang) => {
      await page.goto(urlFor(VERIFY, lang), { waitUntil: 'load' });
      await fillForm(page, `form[action="${VERIFY}"]`, { national_id: '123456782' });
      return submit(page, `form[action="${VERIFY}"]`);
    },
  });
  await testPage(browser, VERIFY, 'ar', {
    label: `${VERIFY} resident verified`, state: counter, stay: VERIFY, reopen: false, noJs: false,
    open: async (page, lang) => {
      await page.goto(urlFor(VERIFY, lang), { waitUntil: 'load' });
      await fillForm(page, `form[action="${VERIFY}"]`, { national_id: RESIDENT.national_id });
      return submit(page, `form[action="${VERIFY}"]`);
    },
    more: {
      name: 'says the identity is verified',
      fn: async (page) => ((await page.locator('.notice[role="status"]').count()) ? '' : 'no notice'),
    },
  });

  // The verified resident proposes, supports a neighbour's proposal and comments on it.
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, processPath, lang, { label: 'process page (resident)', state: resident, stay: processPath });
    await testPage(browser, processPath, lang, {
      label: 'a proposal refused (too long)', state: resident, status: 422, reopen: false, noJs: false,
      open: async (page, l) => {
        await page.goto(urlFor(processPath, l), { waitUntil: 'load' });
        await fillForm(page, `form[action="${processPath}/proposals"]`, { title: 'x'.repeat(151), body: 'نص' });
        return submit(page, `form[action="${processPath}/proposals"]`);
      },
    });
    await testPage(browser, processPath, lang, {
      label: 'a proposal published', state: resident, reopen: false, noJs: false,
      open: async (page, l) => {
        await page.goto(urlFor(processPath, l), { waitUntil: 'load' });
        await fillForm(page, `form[action="${processPath}/proposals"]`, {
          title: `إنارة شارع الشهداء (${l})`, body: 'مصابيح موفرة للطاقة على طول الشارع.',
        });
        return submit(page, `form[action="${processPath}/proposals"]`);
      },
      more: {
        name: 'lands on the new proposal',
        fn: async (page) => (new URL(page.url()).pathname.includes('/proposals/') ? '' : `at ${page.url()}`),
      },
    });
  }
  // A demo proposal by a neighbour (the seed's): the last on the list, with no supporters yet.
  const neighbours = await firstLink(browser, resident, processPath,
    `a[href^="${processPath}/proposals/"]:text-matches("حديقة|ممرات")`);
  await testPage(browser, neighbours, 'ar', {
    label: 'a neighbour\'s proposal supported', state: resident, stay: neighbours, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(neighbours, l), { waitUntil: 'load' });
      return submit(page, `form[action="${neighbours}/support"]`);
    },
    more: {
      name: 'says the resident supports it',
      fn: async (page) => ((await page.locator(`form[action="${neighbours}/support"]`).count()) ? 'still offers to support' : ''),
    },
  });
  await testPage(browser, neighbours, 'en', {
    label: 'a comment published', state: resident, stay: neighbours, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(neighbours, l), { waitUntil: 'load' });
      await page.locator(`form[action="${neighbours}/comments"] [name="stance"]`).selectOption('for');
      await fillForm(page, `form[action="${neighbours}/comments"]`, { body: 'I agree: the children need it.' });
      return submit(page, `form[action="${neighbours}/comments"]`);
    },
    more: {
      name: 'shows the comment',
      fn: async (page) => ((await page.getByText('I agree: the children need it.').count()) ? '' : 'comment not shown'),
    },
  });

  // The participatory budget: the vote page, and the resident's ballot on the web.
  const budgetPath = await firstLink(browser, null, LIST, `a[href^="${LIST}/"]:text-matches("Budget|الموازنة", "i")`);
  const votePath = await firstLink(browser, null, budgetPath, `a[href*="/votes/"]`);
  await testPage(browser, votePath, 'en', { label: 'vote page (anonymous)' });
  await testPage(browser, votePath, 'ar', { label: 'vote page (resident, the ballot)', state: resident, stay: votePath });
  await testPage(browser, votePath, 'en', {
    label: 'vote page refused over the budget', state: resident, stay: votePath, status: 422, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(votePath, l), { waitUntil: 'load' });
      for (const n of ['1', '2', '3', '4']) await page.locator(`#option-${n}`).check();
      return submit(page, `form[action="${votePath}"]`);
    },
  });
  await testPage(browser, votePath, 'ar', {
    label: 'vote cast', state: resident, stay: votePath, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(votePath, l), { waitUntil: 'load' });
      for (const n of ['1', '3']) await page.locator(`#option-${n}`).check();
      return submit(page, `form[action="${votePath}"]`);
    },
    more: {
      name: 'says the resident has voted',
      fn: async (page) => ((await page.locator(`form[action="${votePath}"]`).count()) ? 'the ballot is still offered' : ''),
    },
  });

  // The participation officer's pages.
  const officer = await staffSignedIn(browser, OFFICER);
  await linked(browser, officer, '/account', '/participation/admin');
  const adminProcess = ADMIN + processPath.slice(LIST.length);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, ADMIN, lang, { label: `${ADMIN} (${OFFICER.login})`, state: officer, stay: ADMIN });
    await testPage(browser, adminProcess, lang, { label: 'admin process page', state: officer, stay: adminProcess });
    await testPage(browser, ADMIN, lang, {
      label: `${ADMIN} refused (empty)`, state: officer, stay: ADMIN, status: 422, reopen: false, noJs: false,
      open: async (page, l) => {
        await page.goto(urlFor(ADMIN, l), { waitUntil: 'load' });
        return submit(page, `form[action="${ADMIN}"]`);
      },
    });
  }

  // Recommendations followed to the end: the officer publishes the budget's results, records a
  // recommendation from the winning project, responds to it with a department and adds a
  // milestone; the resident follows it on the public page and sees its state.
  const adminBudget = ADMIN + budgetPath.slice(LIST.length);
  const voteSlug = votePath.split('/').pop();
  const publish = `${adminBudget}/votes/${voteSlug}/publish`;
  await testPage(browser, adminBudget, 'en', {
    label: 'budget results published', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(adminBudget, l), { waitUntil: 'load' });
      return submit(page, `form[action="${publish}"]`);
    },
  });
  const recs = `${adminBudget}/recommendations`;
  await testPage(browser, adminBudget, 'ar', {
    label: 'a recommendation refused (no such project)', state: officer, status: 422, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(adminBudget, l), { waitUntil: 'load' });
      await fillForm(page, `form[action="${recs}"]`, { source_ref: `${voteSlug}#9`, title: 'x', body: 'y' });
      return submit(page, `form[action="${recs}"]`);
    },
  });
  await testPage(browser, adminBudget, 'ar', {
    label: 'a recommendation from the winning project', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(adminBudget, l), { waitUntil: 'load' });
      await fillForm(page, `form[action="${recs}"]`, {
        source_ref: `${voteSlug}#1`, title: 'إنارة شارع الشهداء بالطاقة الشمسية', body: 'تنفيذ المشروع الفائز في الموازنة التشاركية.',
      });
      return submit(page, `form[action="${recs}"]`);
    },
    more: {
      name: 'lists the recommendation',
      fn: async (page) => ((await page.locator(`form[action^="${recs}/"][action$="/respond"]`).count()) ? '' : 'no response form'),
    },
  });
  const recAction = await (async () => {
    const ctx = await browser.newContext({ storageState: officer });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + adminBudget, { waitUntil: 'load' });
      const a = await page.locator(`form[action^="${recs}/"][action$="/respond"]`).first().getAttribute('action');
      return a ? a.slice(0, -'/respond'.length) : '';
    } finally {
      await ctx.close();
    }
  })();
  await testPage(browser, adminBudget, 'en', {
    label: 'the official response (accepted, a department)', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(adminBudget, l), { waitUntil: 'load' });
      const form = `form[action="${recAction}/respond"]`;
      await page.locator(`${form} [name="response"]`).selectOption('accepted');
      await page.locator(`${form} [name="department"]`).selectOption({ index: 1 });
      await fillForm(page, form, { reasons: 'Funded in the 2026 budget.' });
      return submit(page, form);
    },
  });
  await testPage(browser, adminBudget, 'en', {
    label: 'a milestone added', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(adminBudget, l), { waitUntil: 'load' });
      const form = `form[action="${recAction}/milestones"]`;
      await fillForm(page, form, { title: 'Poles installed', due: '2030-06-30' });
      return submit(page, form);
    },
    more: {
      name: 'offers the milestone\'s progress',
      fn: async (page) => ((await page.locator(`form[action^="${recAction}/milestones/"]`).count()) ? '' : 'no progress form'),
    },
  });
  const token = recAction.split('/').pop();
  const follow = `${budgetPath}/recommendations/${token}/follow`;
  await testPage(browser, budgetPath, 'ar', {
    label: 'the resident follows the recommendation', state: resident, stay: budgetPath, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(budgetPath, l), { waitUntil: 'load' });
      return submit(page, `form[action="${follow}"]`);
    },
    more: {
      name: 'shows it followed, accepted, with its milestone',
      fn: async (page) => {
        if (!(await page.locator(`#rec-${token} input[name="follow"][value="0"]`).count())) return 'not followed';
        if (!(await page.locator(`#rec-${token}`).getByText('Poles installed').count())) return 'no milestone';
        return (await page.locator(`#rec-${token}`).getByText('مقبولة').count()) ? '' : 'no response';
      },
    },
  });
  await testPage(browser, budgetPath, 'en', { label: 'budget process page with its recommendations', stay: budgetPath });
});
