// Documents (the documents module), walked as people do it: a resident applies for a building
// permit page by page (the plans uploaded), the head of engineering takes it to completion, the
// resident finds the permit on the case page and under "my certificates and permits", downloads
// its signed PDF, and anyone checks it at /verify (by the QR's address, and by pasting a code
// that is not one: 422). The head then revokes it (a refusal without a reason first) and /verify
// says so at once.
import { check, LANGS, ORIGIN, spec, summaryLinks, testPage, urlFor } from '../harness.mjs';
import { RESIDENT, residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const SERVICE = '/m/hebron/services/building-permit';
const QUESTION = 'form[action^="/applications/"]';

// Applies for a building permit as the person signed in with `state`; returns its tracking
// number ('' when it failed).
async function applyForPermit(browser, state) {
  let tracking = '';
  await check('resident applies for a building permit page by page, the plans uploaded', async () => {
    const ctx = await browser.newContext({ storageState: state });
    try {
      const page = await ctx.newPage();
      await page.goto(ORIGIN + SERVICE, { waitUntil: 'load' });
      await submit(page, `form[action="${SERVICE}/apply"]`);
      await page.locator(`${QUESTION} input[name="applying_as"][value="owner"]`).check();
      await submit(page, QUESTION);
      await fillForm(page, QUESTION, { basin_parcel: 'حوض 34 قطعة 112', building_area: '420' });
      await page.locator(`${QUESTION} input[name="permit_type"][value="new_building"]`).check();
      await page.locator(`${QUESTION} input[name="building_use"][value="residential"]`).check();
      await submit(page, QUESTION);
      // The number of floors is asked once the page knows it is a new building.
      if (await page.locator(`${QUESTION} [name="floors"]`).count()) {
        await fillForm(page, QUESTION, { floors: '3' });
        await submit(page, QUESTION);
      }
      await page.locator(`${QUESTION} input[type="file"]`).first().setInputFiles({
        name: 'plans.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n'),
      });
      await submit(page, QUESTION);
      await page.locator('#declaration').check();
      const res = await submit(page, 'form[action$="/check"]');
      const last = new URL(page.url()).pathname.split('/').pop();
      if (!res || res.status() !== 200 || !last.startsWith('HEB-')) return `ended at ${page.url()}`;
      tracking = last;
    } finally {
      await ctx.close();
    }
  });
  return tracking;
}

// The head takes the case through review, approval and completion on its page.
async function complete(browser, head, tracking) {
  await check('the head of engineering reviews, approves and completes it', async () => {
    if (!tracking) return 'no case to complete';
    const ctx = await browser.newContext({ storageState: head });
    try {
      const page = await ctx.newPage();
      const href = `/m/hebron/cases/${tracking}`;
      for (const action of ['start_review', 'approve', 'complete']) {
        await page.goto(ORIGIN + href, { waitUntil: 'load' });
        const form = `form[action="${href}/act"]:has(input[name="action"][value="${action}"])`;
        const res = await submit(page, form);
        if (!res || res.status() !== 200) return `${action}: status ${res && res.status()}`;
      }
    } finally {
      await ctx.close();
    }
  });
}

// The document's number and signed code, read from the resident's pages.
async function issued(browser, resident, tracking) {
  const found = { number: '', code: '', verify: '' };
  await check('the case page shows the permit; its page carries the QR, its code and the PDF', async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      await page.goto(`${ORIGIN}/account/cases/${tracking}`, { waitUntil: 'load' });
      const link = page.locator('a[href^="/account/documents/HEBD-"]').first();
      if (!(await link.count())) return 'no document on the case page';
      found.number = (await link.getAttribute('href')).split('/').pop();
      await page.goto(`${ORIGIN}/account/documents/${found.number}`, { waitUntil: 'load' });
      found.code = (await page.locator('#code').inputValue()).trim();
      found.verify = await page.locator('a[href*="/verify?code="]').first().getAttribute('href');
      if (!found.code.startsWith('BL1:')) return `code ${found.code}`;
      if (!(await page.locator('.qr svg').count())) return 'no QR drawn';
      const pdf = await page.request.get(`${ORIGIN}/account/documents/${found.number}/pdf`);
      if (pdf.status() !== 200 || pdf.headers()['content-type'] !== 'application/pdf') return `PDF: ${pdf.status()}`;
      const body = await pdf.body();
      if (body.subarray(0, 5).toString() !== '%PDF-' || body.length > 100 * 1024) return `PDF of ${body.length} bytes`;
    } finally {
      await ctx.close();
    }
  });
  return found;
}

const saysOutcome = (outcome) => ({
  name: `says ${outcome}`,
  fn: async (page) => {
    if (!(await page.locator(`[data-outcome="${outcome}"]`).count())) return `no ${outcome} result`;
  },
});

// The QR's address, on this server.
const local = (address) => {
  const u = new URL(address, ORIGIN);
  return u.pathname + u.search;
};

await spec(async (browser) => {
  const resident = await residentSession(browser, RESIDENT);
  const head = await staffSignedIn(browser, STAFF.head);
  const tracking = await applyForPermit(browser, resident);
  await complete(browser, head, tracking);
  const doc = await issued(browser, resident, tracking);
  const number = doc.number || 'HEBD-00-000000-0';
  const verify = doc.verify ? local(doc.verify) : '/verify?code=missing';

  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/documents', lang, {
      label: '/account/documents (resident)', state: resident, stay: '/account/documents',
    });
    await testPage(browser, `/account/documents/${number}`, lang, {
      label: '/account/documents/{number} (holder)', state: resident, stay: `/account/documents/${number}`,
    });
    await testPage(browser, `/m/hebron/documents/${number}`, lang, {
      label: `/m/hebron/documents/{number} (${STAFF.head.login})`, state: head,
      stay: `/m/hebron/documents/${number}`,
    });
    await testPage(browser, '/verify', lang, { label: '/verify (empty)' });
    await testPage(browser, verify, lang, {
      label: '/verify opened by the QR', stay: '/verify', more: saysOutcome('valid'),
    });
    await testPage(browser, '/verify?code=BL1%3ANOT-A-CODE', lang, {
      label: '/verify refused (422)', status: 422, stay: '/verify', more: { name: 'the error summary links the code', fn: summaryLinks('code') },
    });
  }

  // Revoking: without a reason it is refused (422, the reason marked), then done.
  const page = `/m/hebron/documents/${number}`;
  const revokeWith = (reason) => async (p, lang) => {
    await p.goto(urlFor(page, lang), { waitUntil: 'load' });
    await fillForm(p, `form[action="${page}/revoke"]`, { reason });
    return submit(p, `form[action="${page}/revoke"]`);
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, `${page}/revoke`, lang, {
      label: 'revoking without a reason refused (422)', state: head, status: 422, open: revokeWith(''),
      reopen: false, noJs: false,
    });
  }
  await testPage(browser, page, 'ar', {
    label: 'the head revokes the permit', state: head, stay: page,
    open: revokeWith('صدرت الرخصة على مخطط غير مصدّق'), reopen: false, noJs: false,
  });
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, verify, lang, {
      label: '/verify after revocation', stay: '/verify', more: saysOutcome('revoked'),
    });
  }
});
