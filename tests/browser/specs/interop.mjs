// Interop: the resident's "verify my identity" page (before, and after a check the civil
// registry cannot answer: this runner configures none, so the resident is sent to the counter),
// "who looked at my data", both linked from the account page; the admin's X-Road services page,
// linked from the services page, before and after granting a client subsystem.
import { check, LANGS, ORIGIN, spec, testPage, urlFor } from '../harness.mjs';
import { residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const XROAD = '/m/hebron/admin/xroad';

async function verify(page, lang) {
  await page.goto(urlFor('/account/identity', lang), { waitUntil: 'load' });
  await fillForm(page, 'form[action="/account/identity"]', { birth_date: '1990-04-21' });
  return submit(page, 'form[action="/account/identity"]');
}

async function grant(page, lang) {
  await page.goto(urlFor(XROAD, lang), { waitUntil: 'load' });
  await fillForm(page, `form[action="${XROAD}"]`, { client: `PS/GOV/MOI/browser-${lang}` });
  return submit(page, `form[action="${XROAD}"]`);
}

await spec(async (browser) => {
  const resident = await residentSession(browser);
  await check('interop: the account page links "verify my identity" and "who looked"', async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/account', { waitUntil: 'load' });
      for (const href of ['/account/identity', '/account/who-looked']) {
        if (!(await page.locator(`a[href="${href}"]`).count())) return `no link to ${href}`;
      }
    } finally {
      await ctx.close();
    }
  });
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/identity', lang, {
      label: '/account/identity (resident)', state: resident, stay: '/account/identity',
    });
    await testPage(browser, '/account/identity', lang, {
      label: '/account/identity registry unreachable: at the counter', state: resident,
      stay: '/account/identity', open: verify, reopen: false, noJs: false,
      more: {
        name: 'says the counter will verify',
        fn: async (page) => ((await page.locator('.notice').count()) ? '' : 'no notice'),
      },
    });
    await testPage(browser, '/account/who-looked', lang, {
      label: '/account/who-looked (resident)', state: resident, stay: '/account/who-looked',
    });
  }
  const admin = await staffSignedIn(browser, STAFF.admin);
  await check('interop: the services page links the X-Road services page', async () => {
    const ctx = await browser.newContext({ storageState: admin });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/m/hebron/admin/services', { waitUntil: 'load' });
      if (!(await page.locator(`a[href="${XROAD}"]`).count())) return `no link to ${XROAD}`;
    } finally {
      await ctx.close();
    }
  });
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, XROAD, lang, { label: `${XROAD} (${STAFF.admin.login})`, state: admin, stay: XROAD });
    await testPage(browser, XROAD, lang, {
      label: `${XROAD} client granted (${STAFF.admin.login})`, state: admin, stay: XROAD,
      open: grant, reopen: false, noJs: false,
    });
  }
});
