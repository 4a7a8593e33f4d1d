// Meetings and workshops: the demo strategic plan's page links its workshop and its past public
// meeting (with minutes and a recommendation); a resident registers for the workshop and gets a
// seat; the participation officer reaches the workshop's register from the process's admin page,
// checks the resident in, is refused a walk-in with a malformed ID, and publishes the minutes,
// which the public page then shows. Moderation: the resident reports a neighbour's proposal, and the
// officer's process page shows the queue and the report threshold. Organisations: the list linked
// from the participation page, the demo NGO's page, the officer verifies the demo university.
import { check, ORIGIN, spec, testPage, urlFor } from '../harness.mjs';
import { RESIDENT, residentSession, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const OFFICER = { login: 'hebron.participation', password: process.env.STAFF_PARTICIPATION_PASSWORD || '' };
const LIST = '/m/hebron/participate';
const ADMIN = '/m/hebron/admin/participation';

// The paths of the links matching `selector` on `path`.
async function links(browser, state, path, selector) {
  const ctx = await browser.newContext({ storageState: state || undefined });
  try {
    const page = await ctx.newPage();
    await page.goto(ORIGIN + path, { waitUntil: 'load' });
    const hrefs = await page.locator(selector).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return hrefs.map((h) => h.split('?')[0]);
  } finally {
    await ctx.close();
  }
}

await spec(async (browser) => {
  const [processPath] = await links(browser, null, LIST, `a[href^="${LIST}/"]:text-matches("Strategic|الاستراتيجية", "i")`);
  const meetings = await links(browser, null, processPath, `a[href^="${processPath}/meetings/"]`);
  await check('meetings: the process page links its two meetings', () =>
    (meetings.length === 2 ? '' : `${meetings.length} meeting links`));
  const [launch, workshop] = meetings;  // by start time: last month's meeting first
  await testPage(browser, launch, 'ar', {
    label: 'a past meeting with its minutes and recommendation',
    more: {
      name: 'shows the minutes and the recommendation',
      fn: async (page) => ((await page.locator('a[href*="#rec-"]').count()) ? '' : 'no recommendation'),
    },
  });
  await testPage(browser, workshop, 'en', { label: 'a workshop (anonymous)' });

  const resident = await residentSession(browser);
  await testPage(browser, workshop, 'ar', {
    label: 'the resident registers', state: resident, stay: workshop, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(workshop, l), { waitUntil: 'load' });
      return submit(page, `form[action="${workshop}/register"]`);
    },
    more: {
      name: 'offers to cancel',
      fn: async (page) => ((await page.locator(`form[action="${workshop}/cancel"]`).count()) ? '' : 'no cancel form'),
    },
  });

  // The officer: from the process's admin page to the workshop's register.
  const officer = await staffSignedIn(browser, OFFICER);
  const adminProcess = ADMIN + processPath.slice(LIST.length);
  const door = adminProcess + workshop.slice(processPath.length);
  await check(`meetings: ${adminProcess} links ${door}`, async () => {
    const found = await links(browser, officer, adminProcess, `a[href^="${door}"]`);
    return found.length ? '' : 'no link';
  });
  await testPage(browser, door, 'en', { label: 'the register (officer)', state: officer, stay: door });
  await testPage(browser, door, 'ar', {
    label: 'the resident checked in', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(door, l), { waitUntil: 'load' });
      return submit(page, `tr:has-text("${RESIDENT.full_name_ar}") form`);
    },
  });
  await testPage(browser, door, 'en', {
    label: 'a walk-in refused (malformed ID)', state: officer, status: 422, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(door, l), { waitUntil: 'load' });
      await fillForm(page, `form[action^="${door}/walkin"]`, { national_id: '12345', name: 'Walk-in' });
      return submit(page, `form[action^="${door}/walkin"]`);
    },
  });
  await testPage(browser, door, 'ar', {
    label: 'the minutes published', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(door, l), { waitUntil: 'load' });
      await fillForm(page, `form[action^="${door}/minutes"]`, { minutes: 'اتفق الحضور على خط حافلات تجريبي.' });
      return submit(page, `form[action^="${door}/minutes"]`);
    },
  });
  await check('meetings: the public page shows the minutes', async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + workshop, { waitUntil: 'load' });
      return (await page.getByText('اتفق الحضور على خط حافلات تجريبي.').count()) ? '' : 'no minutes';
    } finally {
      await ctx.close();
    }
  });

  const [neighbour] = await links(browser, resident, processPath, `a[href^="${processPath}/proposals/"]`);
  await testPage(browser, neighbour, 'en', {
    label: 'a neighbour\'s proposal reported', state: resident, stay: neighbour, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(neighbour, l), { waitUntil: 'load' });
      await page.locator(`form[action="${neighbour}/report"]`).locator('xpath=..').locator('summary').click();
      return submit(page, `form[action="${neighbour}/report"]`);
    },
  });
  await testPage(browser, adminProcess, 'ar', {
    label: 'the moderation queue and threshold', state: officer, stay: adminProcess,
    more: {
      name: 'offers the report threshold',
      fn: async (page) => ((await page.locator(`form[action="${adminProcess}/report-threshold"]`).count()) ? '' : 'no threshold form'),
    },
  });

  const ORGS = `${LIST}/organisations`;
  await check(`meetings: ${LIST} links ${ORGS}`, async () =>
    ((await links(browser, null, LIST, `a[href^="${ORGS}"]`)).length ? '' : 'no link'));
  await testPage(browser, ORGS, 'ar', { label: 'organisations (resident)', state: resident, stay: ORGS });
  const [ngo] = await links(browser, null, ORGS, `a[href^="${ORGS}/"]`);
  await testPage(browser, ngo, 'en', { label: 'a verified organisation' });
  await testPage(browser, ADMIN, 'en', {
    label: 'the officer verifies an organisation', state: officer, reopen: false, noJs: false,
    open: async (page, l) => {
      await page.goto(urlFor(ADMIN, l), { waitUntil: 'load' });
      const form = 'form[action*="/admin/participation/organisations/"]';
      await fillForm(page, form, { documents: 'Registration certificate, president\'s ID' });
      return submit(page, form);
    },
    more: {
      name: 'says it is verified',
      fn: async (page) => ((await page.locator('.notice[role="status"]').count()) ? '' : 'no notice'),
    },
  });
});
