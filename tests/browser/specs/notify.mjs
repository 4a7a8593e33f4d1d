// Notify: the resident's inbox of messages (/account/notifications) after a password reset sent
// its code through the outbox.
import { check, LANGS, spec, testPage } from '../harness.mjs';
import { haveOutbox, resetPassword, residentSession } from '../people.mjs';

await spec(async (browser) => {
  await residentSession(browser);
  if (await haveOutbox()) {
    await check('notify: a password reset with the code from the SMS', async () => {
      const ctx = await browser.newContext();
      try {
        const page = await ctx.newPage();
        const res = await resetPassword(page, 'ar');
        if (!res || res.status() >= 400) return `status ${res ? res.status() : '?'} at ${page.url()}`;
        if (new URL(page.url()).pathname !== '/password/reset') return `ended at ${page.url()}`;
      } finally {
        await ctx.close();
      }
    });
  }
  // The reset ended the resident's sessions: signing in again, then the messages it left behind.
  const again = await residentSession(browser);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/notifications', lang, {
      label: '/account/notifications (resident, after the reset)', state: again,
      stay: '/account/notifications',
    });
  }
});
