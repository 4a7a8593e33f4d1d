// Payments: what a resident owes (the demo dues of their national ID), the cashier's counter
// (opening a session, finding an invoice by its reference, paying it), the printable receipt,
// and the department head's payments of the day, refund page, trial balance and reconciliation.
import { check, LANGS, ORIGIN, spec, testPage } from '../harness.mjs';
import { residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const CASHIER = { login: 'hebron.cashier', password: process.env.STAFF_CASHIER_PASSWORD || '' };

await spec(async (browser) => {
  const resident = await residentSession(browser);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/dues', lang, {
      label: '/account/dues (resident)', state: resident, stay: '/account/dues',
    });
  }
  // The resident's first payment reference, as the page shows it.
  let reference = '';
  await check('payments: the dues page shows a payment reference', async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/account/dues', { waitUntil: 'load' });
      reference = (await page.locator('code').first().textContent()) || '';
      if (!/^RF\d\d/.test(reference)) return `no reference on the page: "${reference}"`;
    } finally {
      await ctx.close();
    }
  });
  const cashier = await staffSignedIn(browser, CASHIER);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/cashier', lang, {
      label: `/m/hebron/cashier (${CASHIER.login}, no session)`, state: cashier, stay: '/m/hebron/cashier',
    });
  }
  let receipt = '';
  await check('payments: the cashier opens a session and takes a payment by reference', async () => {
    const ctx = await browser.newContext({ storageState: cashier });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + '/m/hebron/cashier', { waitUntil: 'load' });
      await fillForm(page, 'form[action="/m/hebron/cashier/open"]', { opening_cash: '100' });
      await submit(page, 'form[action="/m/hebron/cashier/open"]');
      await page.goto(`${ORIGIN}/m/hebron/cashier?reference=${reference}`, { waitUntil: 'load' });
      const total = await page.locator('tfoot td').first().textContent();
      const digits = (total || '').replace(/[٠-٩]/g, (d) => '٠١٢٣٤٥٦٧٨٩'.indexOf(d)).replace(/[^0-9.٫]/g, '').replace('٫', '.');
      await fillForm(page, 'form[action="/m/hebron/cashier/pay"]', { amount: digits });
      await submit(page, 'form[action="/m/hebron/cashier/pay"]');
      receipt = new URL(page.url()).pathname;
      if (!receipt.startsWith('/m/hebron/cashier/receipts/RCP-')) return `ended at ${page.url()}`;
    } finally {
      await ctx.close();
    }
  });
  await check('payments: the receipt links its PDF, signed by the municipality', async () => {
    if (!receipt) return 'no receipt';
    const ctx = await browser.newContext({ storageState: cashier });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + receipt, { waitUntil: 'load' });
      const link = page.locator(`a[href="${receipt}/pdf"]`);
      if (await link.count() !== 1) return 'no PDF link on the receipt page';
      const res = await ctx.request.get(ORIGIN + receipt + '/pdf');
      if (res.status() !== 200) return `PDF answered ${res.status()}`;
      if (res.headers()['content-type'] !== 'application/pdf') return `content-type ${res.headers()['content-type']}`;
      const body = await res.body();
      if (body.subarray(0, 5).toString() !== '%PDF-') return 'not a PDF';
      if (!body.includes('ETSI.CAdES.detached')) return 'not signed';
    } finally {
      await ctx.close();
    }
  });
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, `/m/hebron/cashier?reference=${reference}`, lang, {
      label: `/m/hebron/cashier?reference= (${CASHIER.login}, an invoice)`, state: cashier,
      stay: '/m/hebron/cashier',
    });
    if (receipt) {
      await testPage(browser, receipt, lang, { label: `${receipt} (receipt)`, state: cashier, stay: receipt });
    }
    await testPage(browser, '/m/hebron/cashier/close', lang, {
      label: `/m/hebron/cashier/close (${CASHIER.login})`, state: cashier, stay: '/m/hebron/cashier/close',
    });
  }
  const head = await staffSignedIn(browser, STAFF.head);
  for (const path of ['/m/hebron/payments', '/m/hebron/payments/ledger',
    '/m/hebron/payments/reconciliation']) {
    for (const lang of Object.keys(LANGS)) {
      await testPage(browser, path, lang, { label: `${path} (${STAFF.head.login})`, state: head, stay: path });
    }
  }
  if (receipt) {
    const refund = receipt.replace('/cashier/', '/payments/') + '/refund';
    for (const lang of Object.keys(LANGS)) {
      await testPage(browser, refund, lang, { label: `${refund} (${STAFF.head.login})`, state: head, stay: refund });
    }
  }
});
