// Account security (issue 12's ASVS rows): the /account/security page in both languages (axe,
// 320 px, no script) reached from /account, its list of sessions with "sign out everywhere
// else", the password changed with the current one, and the sign-out button every signed-in page
// carries in its header. A resident of its own, so that no other spec's password changes.
import { check, LANGS, ORIGIN, sessionOnly, spec, testPage } from '../harness.mjs';
import { fillForm, register, submit } from '../signin.mjs';

const PERSON = {
  national_id: '407654326', full_name_ar: 'ليلى الجعبري', phone: '0599555123',
  password: 'almond-blossom-terraces',
};
const NEW_PASSWORD = 'fig-trees-by-the-spring';
const at = (page) => new URL(page.url()).pathname;

// Signs PERSON in with a password in a new context; returns the context (the caller closes it).
async function signedIn(browser, password) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(ORIGIN + '/login', { waitUntil: 'load' });
  await fillForm(page, 'form[action="/login"]', { login: PERSON.national_id, password });
  await submit(page, 'form[action="/login"]');
  if (at(page) !== '/account') throw new Error(`signing in ended at ${page.url()}`);
  return ctx;
}

await spec(async (browser) => {
  let state = null;
  await check('security: a resident registers and finds the security page from /account', async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await register(page, ORIGIN + '/register', PERSON);
      await page.locator('main a[href="/account/security"]').click();
      await page.waitForLoadState('load');
      if (at(page) !== '/account/security') return `the link led to ${page.url()}`;
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  if (!state) return;
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/security', lang, {
      label: '/account/security (resident)', state, stay: '/account/security',
    });
  }

  await check('security: another session is listed, then ended by "sign out everywhere else"', async () => {
    const other = await signedIn(browser, PERSON.password);
    const ctx = await browser.newContext({ storageState: state });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/account/security?lang=en', { waitUntil: 'load' });
      const listed = await page.locator('.sessions > li').count();
      if (listed < 2) return `${listed} sessions listed, want at least 2`;
      await submit(page, 'form[action="/account/security/sessions/end-others"]');
      if (at(page) !== '/account/security') return `ended at ${page.url()}`;
      if ((await page.locator('.sessions > li').count()) !== 1) return 'other sessions still listed';
      const o = await other.newPage();
      await o.goto(ORIGIN + '/account', { waitUntil: 'load' });
      if (at(o) !== '/login') return `the other browser still reaches ${o.url()}`;
    } finally {
      await other.close();
      await ctx.close();
    }
  });

  await check('security: the password is changed with the current one', async () => {
    const ctx = await browser.newContext({ storageState: state });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/account/security?lang=en', { waitUntil: 'load' });
      const form = 'form[action="/account/security/password"]';
      await fillForm(page, form, { current_password: 'not-the-password', new_password: NEW_PASSWORD });
      const wrong = await submit(page, form);
      if (!wrong || wrong.status() !== 422) return `a wrong current password: ${wrong ? wrong.status() : '?'}`;
      if (!(await page.locator('#current_password-error').count())) return 'no error on the current password';
      await fillForm(page, form, { current_password: PERSON.password, new_password: NEW_PASSWORD });
      await submit(page, form);
      if (at(page) !== '/account/security') return `ended at ${page.url()}`;
      if (!(await page.locator('main .notice').count())) return 'no notice that the password changed';
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });

  await check('security: the header signs out from any page, without script', async () => {
    const ctx = await browser.newContext({ storageState: state, javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/?lang=ar', { waitUntil: 'load' });
      if (!(await page.locator('header form.sign-out').count())) return 'no sign-out in the header of /';
      await submit(page, 'header form.sign-out');
      if (at(page) !== '/') return `signing out ended at ${page.url()}`;
      if (await page.locator('header form.sign-out').count()) return 'still a sign-out button after signing out';
      await page.goto(ORIGIN + '/account', { waitUntil: 'load' });
      if (at(page) !== '/login') return `after signing out /account gave ${page.url()}`;
      // The new password signs in.
      const again = await signedIn(browser, NEW_PASSWORD);
      await again.close();
    } finally {
      await ctx.close();
    }
  });
});
