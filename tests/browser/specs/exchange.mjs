// Exchange between municipalities on different servers (here the server is its own peer: the
// seed has Nablus accept Hebron's key): Hebron's admin registers Nablus at this server's address
// on the peers page, linked from the X-Road page (the webhooks page is linked beside it);
// Engineering's head sends a report a resident filed from its case page to the peer, and the
// signed answer (accepted, with Nablus's tracking number) shows on the case page. Both languages.
import { check, LANGS, ORIGIN, spec, testPage, urlFor } from '../harness.mjs';
import { residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fileReport } from '../reports.mjs';
import { fillForm, submit } from '../signin.mjs';

const PEERS = '/m/hebron/admin/peers';
const XROAD = '/m/hebron/admin/xroad';
const WEBHOOKS = '/m/hebron/admin/webhooks';

async function register(page, lang) {
  await page.goto(urlFor(PEERS, lang), { waitUntil: 'load' });
  await fillForm(page, `form[action="${PEERS}"]`, { url: ORIGIN, municipality: 'nablus' });
  return submit(page, `form[action="${PEERS}"]`);
}

// The case page's link to send it: the form.
const formOf = (tracking) => async (page, lang) => {
  await page.goto(urlFor(`/m/hebron/cases/${tracking}`, lang), { waitUntil: 'load' });
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator('a[href$="/send-to-peer"]').first().click();
  return nav;
};

const ANSWER = 'section[aria-labelledby="peer-transfers-title"] strong';

// The form with the peer chosen and sent; then the case page until the worker has delivered the
// transfer and the answer has come back (the worker runs every second).
const sentOf = (tracking) => async (page, lang) => {
  await formOf(tracking)(page, lang);
  const form = 'form[action$="/send-to-peer"]';
  await page.locator(`${form} select[name="peer"]`).selectOption({ index: 1 });
  let res = await submit(page, form);
  for (let i = 0; i < 20; i++) {
    if (await page.locator(ANSWER, { hasText: 'NAB-' }).count()) break;
    await page.waitForTimeout(500);
    res = await page.goto(urlFor(`/m/hebron/cases/${tracking}`, lang), { waitUntil: 'load' });
  }
  return res;
};

await spec(async (browser) => {
  const admin = await staffSignedIn(browser, STAFF.admin);
  await check('exchange: the X-Road page links the peers and webhooks pages', async () => {
    const ctx = await browser.newContext({ storageState: admin });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + XROAD, { waitUntil: 'load' });
      for (const href of [PEERS, WEBHOOKS]) {
        if (!(await page.locator(`a[href="${href}"]`).count())) return `no link to ${href}`;
      }
    } finally {
      await ctx.close();
    }
  });
  const langs = Object.keys(LANGS);
  // The page in Arabic before, in English after registering.
  await testPage(browser, PEERS, langs[0], { label: `${PEERS} (${STAFF.admin.login})`, state: admin, stay: PEERS });
  await testPage(browser, PEERS, langs[1], {
    label: `${PEERS} peer registered (${STAFF.admin.login})`, state: admin, stay: PEERS,
    open: register, reopen: false, noJs: false,
  });
  // The webhooks page, linked beside it.
  for (const lang of langs) {
    await testPage(browser, WEBHOOKS, lang, { label: `${WEBHOOKS} (${STAFF.admin.login})`, state: admin, stay: WEBHOOKS });
  }

  const resident = await residentSession(browser);
  const head = await staffSignedIn(browser, STAFF.head);
  for (const lang of langs) {
    const tracking = await fileReport(browser, resident, `exchange: a resident files a report [${lang}]`, lang);
    if (!tracking) continue;
    await testPage(browser, '/m/hebron/cases/case/send-to-peer', lang, {
      label: `send to a peer (${STAFF.head.login})`, state: head, open: formOf(tracking), reopen: false,
      stay: `/m/hebron/cases/${tracking}/send-to-peer`,
    });
    await testPage(browser, `/m/hebron/cases/${tracking}`, lang, {
      label: `sent: the peer's answer on the case page (${STAFF.head.login})`, state: head,
      open: sentOf(tracking), reopen: false, noJs: false, stay: `/m/hebron/cases/${tracking}`, more: {
        name: 'shows the new tracking number',
        fn: async (page) => ((await page.locator(ANSWER, { hasText: 'NAB-' }).count()) ? '' : 'no answer from the peer'),
      },
    });
  }
});
