// The remaining journeys of residents and the counter, walked as the person would: signing in
// from the home page and following links only, in Arabic and English.
// - A file over the size limit: the question states the limit, and a file over it (even far over
//   the server's body limit) comes back as an error by its field on the same form, the other
//   answers kept, never a whole-page error.
// - A session that ends in the middle of a form: the person is told to sign in again, then
//   returned to the form with the answers they typed.
// - The SMS about an application names the municipality and links to the case, the link opens it.
// - "Your data": the applications with their answers and history, the messages, as a page and a
//   JSON download; closing the account lists the open application first; registering again with
//   the same ID number finds it back.
// - The counter: whom the clerk files for is shown on every page of the form, which speaks to the
//   clerk; an abandoned draft is deleted. A report's priority is set on its page and the queue
//   sorts by it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, LANGS, ORIGIN, sessionOnly, spec, testPage, urlFor } from '../harness.mjs';
import { NEIGHBOUR, OUTBOX_DIR, RESIDENT, residentSession, STAFF } from '../people.mjs';
import { fillForm, register, submit, totp } from '../signin.mjs';

const QUESTION = 'form[action^="/applications/"]';
const DESCRIPTION = { ar: 'العمود مطفأ منذ ثلاث ليالٍ قرب المدرسة', en: 'Dark for three nights by the school' };

// Clicks the first link matching `selector` and returns the response of the page it opens.
async function follow(page, selector) {
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator(selector).first().click();
  return nav;
}

// Home, then the municipality, its services and the service with this code.
async function toService(page, lang, code) {
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'main a[href="/m/hebron"]');
  await follow(page, 'main a[href="/m/hebron/services"]');
  return follow(page, `main a[href$="/services/${code}"]`);
}

// A street-light report started from the home page, its one question page answered.
async function streetLightAnswered(page, lang) {
  await toService(page, lang, 'street-light-report');
  await submit(page, 'form[action$="/street-light-report/apply"]');
  await fillForm(page, QUESTION, { location: '31.5326,35.0998', description: DESCRIPTION[lang] });
  await page.locator(`${QUESTION} input[name="problem"][value="not_working"]`).check();
}

// A PNG far larger than the 4 MB limit, and larger than the server's whole body limit (5 MiB).
const BIG_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(6 * 1024 * 1024, 0x70),
]);
const LIMIT = { ar: 'حتى ٤ ميغابايت', en: 'up to 4 MB' };
const TOO_BIG = { ar: 'الملف أكبر من ٤ ميغابايت', en: 'larger than 4 MB' };

async function fileOverLimit(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/page', lang, {
      label: 'a photo over the size limit (field error, answers kept)', state: resident,
      status: 422, reopen: false, noJs: false,
      open: async (page, l) => {
        await streetLightAnswered(page, l);
        const hint = await page.locator(`${QUESTION} #photos-limit`).innerText().catch(() => '');
        if (!hint.includes(LIMIT[l])) throw new Error(`the photo question says "${hint}", want "${LIMIT[l]}"`);
        await page.locator(`${QUESTION} input[type="file"][name="photos"]`).setInputFiles({
          name: 'light.png', mimeType: 'image/png', buffer: BIG_PNG,
        });
        return submit(page, QUESTION);
      },
      more: {
        name: 'names the file error by its field, states the limit and keeps the answers',
        fn: async (page) => {
          const summary = page.locator('.error-summary a[href="#photos"]');
          if (!(await summary.count())) return 'no error summary link to the photo question';
          const error = await page.locator('#photos-error').innerText().catch(() => '');
          if (!error.includes(TOO_BIG[lang])) return `field error "${error}", want "${TOO_BIG[lang]}"`;
          const kept = await page.locator(`${QUESTION} [name="description"]`).inputValue();
          if (kept !== DESCRIPTION[lang]) return `description "${kept}", want it kept`;
          if (!(await page.locator(`${QUESTION} input[name="problem"][value="not_working"]`).isChecked()))
            return 'the chosen problem was lost';
          const hint = await page.locator(`${QUESTION} #photos-limit`).innerText();
          if (!hint.includes(LIMIT[lang])) return `limit "${hint}" not stated after the error`;
        },
      },
    });
  }
}

// Signs in from the home page: the header's "log in" link, the form, and /account.
async function signInFromHome(page, lang, who) {
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'header a[href="/login"], a[href="/login"]');
  await fillForm(page, 'form[action="/login"]', { login: who.national_id, password: who.password });
  const res = await submit(page, 'form[action="/login"]');
  if (new URL(page.url()).pathname !== '/account') throw new Error(`signed in at ${page.url()}`);
  return res;
}

// Ends the page's session from elsewhere (another window of the same browser signs out): to the
// server the session is gone, as after its idle timeout, while this page still shows the form.
async function endSessionElsewhere(browser, page) {
  const other = await browser.newContext({ storageState: await page.context().storageState() });
  try {
    const p = await other.newPage();
    await p.goto(urlFor('/account', 'ar'), { waitUntil: 'load' });
    await submit(p, 'form[action="/logout"]');
  } finally {
    await other.close();
  }
}

const ENDED = { ar: 'انتهت جلستك', en: 'your session ended' };
const KEPT = { ar: 'احتفظنا بما كتبته', en: 'We kept what you typed' };

async function sessionEndsMidForm(browser) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/page', lang, {
      label: 'the form again after the session ended and signing in (answers kept)',
      reopen: false, noJs: false,
      open: async (page, l) => {
        await signInFromHome(page, l, RESIDENT);
        await streetLightAnswered(page, l);
        const form = new URL(page.url()).pathname;
        await endSessionElsewhere(browser, page);
        await submit(page, QUESTION);
        if (new URL(page.url()).pathname !== '/login') throw new Error(`after posting: ${page.url()}, want /login`);
        const said = await page.locator('main').innerText();
        if (!said.includes(ENDED[l])) throw new Error(`the sign-in page does not say "${ENDED[l]}"`);
        await fillForm(page, 'form[action="/login"]', { login: RESIDENT.national_id, password: RESIDENT.password });
        const res = await submit(page, 'form[action="/login"]');
        if (new URL(page.url()).pathname !== form) throw new Error(`signed in again at ${page.url()}, want ${form}`);
        return res;
      },
      more: {
        name: 'says the answers were kept and shows them',
        fn: async (page) => {
          const notice = await page.locator('main .notice').innerText().catch(() => '');
          if (!notice.includes(KEPT[lang])) return `notice "${notice}", want "${KEPT[lang]}"`;
          const kept = await page.locator(`${QUESTION} [name="description"]`).inputValue();
          if (kept !== DESCRIPTION[lang]) return `description "${kept}", want "${DESCRIPTION[lang]}"`;
          if (!(await page.locator(`${QUESTION} input[name="problem"][value="not_working"]`).isChecked()))
            return 'the chosen problem was lost';
          // Continuing saves them: the form goes on to "check your answers".
          await submit(page, QUESTION);
          const at = new URL(page.url()).pathname;
          if (!at.endsWith('/check')) return `"Save and continue" led to ${at}`;
        },
      },
    });
  }
}

// A street-light report filed from the home page by a signed-in person; returns its tracking
// number (empty when it was not filed).
async function fileReport(page, lang) {
  await streetLightAnswered(page, lang);
  await submit(page, QUESTION);
  await page.locator('#declaration').check();
  await submit(page, 'form[action$="/check"]');
  const tracking = new URL(page.url()).pathname.split('/').pop();
  return tracking.startsWith('HEB-') ? tracking : '';
}

// The SMS in the server's drop folder that names `tracking` (the notify worker runs every second).
async function smsAbout(tracking) {
  for (let i = 0; i < 100; i++) {
    let files = [];
    try {
      files = readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt'));
    } catch { /* not there yet */ }
    for (const f of files) {
      const text = readFileSync(join(OUTBOX_DIR, f), 'utf8');
      if (text.includes(tracking)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

const MUNICIPALITY = { ar: 'بلدية الخليل', en: 'Hebron Municipality' };

// Files a report in each language (the Arabic resident, then the neighbour, registered in
// English), reads the SMS and follows its link to the case.
async function smsNamesAndLinks(browser) {
  const people = { ar: RESIDENT, en: { ...NEIGHBOUR, lang: 'en' } };
  let first = '';
  for (const lang of Object.keys(LANGS)) {
    const who = people[lang];
    let sms = '';
    await testPage(browser, '/account/cases/case', lang, {
      label: 'the case page reached from the link in its SMS', reopen: false, noJs: false,
      open: async (page, l) => {
        await signInFromHome(page, l, who);
        const tracking = await fileReport(page, l);
        if (!tracking) throw new Error(`the report was not filed: ${page.url()}`);
        if (!first) first = tracking;
        sms = await smsAbout(tracking);
        if (!sms) throw new Error(`no SMS names ${tracking}`);
        const link = sms.match(/(https?:\/\/\S+|\/account\/cases\/[A-Z0-9-]+)/);
        if (!link) throw new Error(`the SMS has no link:\n${sms}`);
        const href = link[1].replace(/[\u2066-\u2069]/g, '');
        if (!href.endsWith(`/account/cases/${tracking}`)) throw new Error(`the SMS links to ${href}`);
        return page.goto(new URL(href, ORIGIN).href, { waitUntil: 'load' });
      },
      more: {
        name: `the SMS names ${MUNICIPALITY[lang]} and isolates the Latin runs`,
        fn: async () => {
          if (!sms.includes(MUNICIPALITY[lang])) return `the SMS does not name the municipality:\n${sms}`;
          if (lang === 'ar' && !/\u2068[^\u2069]*\/account\/cases\/[^\u2069]*\u2069/.test(sms))
            return `the link is not isolated in the Arabic SMS:\n${sms}`;
        },
      },
    });
  }
  return first;
}

// The neighbour (who filed a report above) reads "your data", then closes the account and
// registers again with the same ID number.
async function dataAndClosing(browser) {
  const who = { ...NEIGHBOUR, lang: 'en' };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/export', lang, {
      label: 'your data (applications, answers, messages)', reopen: false, noJs: false,
      open: async (page, l) => {
        await signInFromHome(page, l, who);
        await follow(page, 'main a[href="/account/export"]');
        // The password is asked again before the data is shown.
        await fillForm(page, 'main form[action="/account/export"]', { password: who.password });
        return submit(page, 'main form[action="/account/export"]');
      },
      more: {
        name: 'lists the application with its answers and history, the messages, and the JSON',
        fn: async (page) => {
          const text = await page.locator('main').innerText();
          if (!text.includes(DESCRIPTION.en)) return 'the answer typed is not in the export';
          if (!/HEB-\d\d-\d+/.test(text)) return 'no tracking number in the export';
          if (!(await page.locator('main a[href="/account/export.json"]').count())) return 'no JSON download';
          if (!(await page.locator('#export-messages').count())) return 'no messages section';
          const res = await page.request.get(urlFor('/account/export.json', lang));
          const json = await res.json();
          if (!json.applications?.length) return 'the JSON has no applications';
          if (!json.messages?.length) return 'the JSON has no messages';
        },
      },
    });
  }
  await testPage(browser, '/account/close', 'ar', {
    label: 'closing the account lists the open application', reopen: false, noJs: false,
    open: async (page, l) => {
      await signInFromHome(page, l, who);
      return follow(page, 'main a[href="/account/close"]');
    },
    more: {
      name: 'warns, lists the open application, then closes; registering again finds it back',
      fn: async (page) => {
        const listed = page.locator('main .notice a[href^="/account/cases/HEB-"]');
        if ((await listed.count()) !== 1) return `${await listed.count()} open applications listed, want 1`;
        const href = await listed.getAttribute('href');
        await fillForm(page, 'form[action="/account/close"]', { password: who.password });
        await submit(page, 'form[action="/account/close"]');
        // Back through the home page: log in, "create one", the same ID number.
        await page.goto(urlFor('/', 'en'), { waitUntil: 'load' });
        await follow(page, 'a[href="/login"]');
        await follow(page, 'main a[href="/register"]');
        await fillForm(page, 'form[action="/register"]', {
          national_id: who.national_id, full_name_ar: who.full_name_ar, phone: who.phone, password: who.password,
        });
        await submit(page, 'form[action="/register"]');
        if (new URL(page.url()).pathname !== '/account') return `registering again ended at ${page.url()}`;
        await follow(page, 'main a[href="/account/cases"]');
        if (!(await page.locator(`main a[href="${href}"]`).count())) return `${href} is not among the applications`;
      },
    },
  });
}

const M = '/m/hebron';
const path = (page) => new URL(page.url()).pathname;

// A member of staff from the home page to the home of their tools: the header's link, the
// password, the authenticator's enrolment and the recovery codes' link onward.
async function staffFromHome(page, lang, who) {
  if (!who.password) throw new Error(`no password for ${who.login}`);
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'a[href="/login"]');
  await fillForm(page, 'form[action="/login"]', { login: who.login, password: who.password });
  await submit(page, 'form[action="/login"]');
  const form = 'form[action="/account/totp"]';
  const secret = await page.locator(`${form} input[name="secret"]`).inputValue();
  await fillForm(page, form, { code: totp(secret) });
  await submit(page, form);
  await follow(page, 'main a[href="/staff"]');
  if (path(page) !== '/staff') throw new Error(`staff home: ${page.url()}`);
}

const FILING_FOR = { ar: `تقدّم هذا الطلب باسم ${RESIDENT.full_name_ar}`, en: `You are filing for ${RESIDENT.full_name_ar}` };
const DELETED = { ar: 'حُذفت المسودة', en: 'The draft was deleted' };

async function counterDraft(browser) {
  let state = null;  // signed in once (the authenticator is enrolled then), in Arabic
  for (const lang of Object.keys(LANGS)) {
    let question = '';
    await testPage(browser, `${M}/counter`, lang, {
      label: 'the counter after deleting an abandoned draft', reopen: false, noJs: false,
      state,
      open: async (page, l) => {
        if (state) {
          await page.goto(urlFor('/staff', l), { waitUntil: 'load' });
        } else {
          await staffFromHome(page, l, STAFF.counter);
          state = sessionOnly(await page.context().storageState());
        }
        await follow(page, `main ul.tools a[href="${M}/counter"]`);
        await fillForm(page, `form[action="${M}/counter"]`, { resident: RESIDENT.national_id });
        await page.locator(`form[action="${M}/counter"] select[name="service"]`).selectOption('street-light-report');
        await page.locator(`form[action="${M}/counter"] select[name="channel"]`).selectOption('phone');
        await submit(page, `form[action="${M}/counter"]`);
        question = await page.locator('main .notice').first().innerText().catch(() => '');
        await follow(page, 'main a[href$="/delete"]');
        return submit(page, 'form[action$="/delete"]');
      },
      more: {
        name: 'named the resident on the form, then says the draft was deleted',
        fn: async (page) => {
          if (!question.includes(FILING_FOR[lang])) return `the form says "${question}", want "${FILING_FOR[lang]}"`;
          if (path(page) !== `${M}/counter`) return `after deleting: ${page.url()}`;
          const notice = await page.locator('main .notice').innerText().catch(() => '');
          if (!notice.includes(DELETED[lang])) return `notice "${notice}"`;
        },
      },
    });
  }
}

const URGENT = { ar: 'عاجلة', en: 'Urgent' };

// The Engineering clerk marks the street-light report urgent on its page; the queue sorted by
// priority shows it first.
async function reportPriority(browser, tracking) {
  await testPage(browser, `${M}/queue`, 'ar', {
    label: 'the queue sorted by priority', reopen: false, noJs: false,
    open: async (page, l) => {
      if (!tracking) throw new Error('no report was filed above');
      await staffFromHome(page, l, STAFF.clerk);
      await follow(page, `main ul.tools a[href="${M}/queue"]`);
      await page.locator('form.filter select[name="sort"]').selectOption('-submitted');
      await submit(page, 'form.filter');
      await follow(page, `main a[href="${M}/cases/${tracking}"]`);
      await page.locator(`form[action$="/priority"] select[name="priority"]`).selectOption('2');
      await submit(page, 'form[action$="/priority"]');
      await follow(page, `main a[href^="${M}/queue"]`);  // the case page's way back
      await page.locator('form.filter select[name="sort"]').selectOption('priority');
      return submit(page, 'form.filter');
    },
    more: {
      name: 'the urgent report comes first, marked',
      fn: async (page) => {
        const first = page.locator('main table tbody tr').first();
        const text = await first.innerText();
        if (!text.includes(tracking)) return `first row: ${text}`;
        if (!text.includes(URGENT.ar)) return `the first row does not say ${URGENT.ar}: ${text}`;
      },
    },
  });
}

await spec(async (browser) => {
  const resident = await residentSession(browser, RESIDENT);
  if (!resident) return;
  await fileOverLimit(browser, resident);
  await sessionEndsMidForm(browser);
  // The neighbour registers on the English page: their messages come in English.
  await check(`resident ${NEIGHBOUR.national_id} registers in English`, async () => {
    const ctx = await browser.newContext();
    try {
      await register(await ctx.newPage(), urlFor('/register', 'en'), NEIGHBOUR);
    } finally {
      await ctx.close();
    }
  });
  const tracking = await smsNamesAndLinks(browser);
  await dataAndClosing(browser);
  await counterDraft(browser);
  await reportPriority(browser, tracking);
});
