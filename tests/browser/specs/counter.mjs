// The counter helps a caller without an account, walked as the clerk and then the caller would,
// from the home page and by links only, in Arabic and English:
// - the clerk goes from the staff home to the counter, follows "the caller has no account",
//   records the caller (a wrong ID number and phone are named by their fields first), and files
//   the application with them, the form naming whom it is filed for;
// - the caller's phone receives an SMS saying how to take the account over, and one with the
//   tracking number;
// - the caller registers with the same ID number: the page says the account exists and the code
//   comes to the phone; with it they set a password, sign in and find the application.
// - The municipal admin changes the opening hours on the municipality's profile (from the staff
//   home) and finds them on its public page; the platform admin adds a municipality from the
//   staff home's list of municipalities and opens its page.
// - The admin renames a service in the service editor; the auditor reads, from their home, the
//   profile's and the service's changes with their values before and after.
// - The admin cannot disable a department that still has live services (the refusal names and
//   links them); a department nothing depends on is disabled, shown as such and no longer offered
//   for new staff.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, LANGS, sessionOnly, spec, summaryLinks, testPage, urlFor } from '../harness.mjs';
import { OUTBOX_DIR, STAFF } from '../people.mjs';
import { fillForm, submit, totp } from '../signin.mjs';

const M = '/m/hebron';
const NEW = `form[action="${M}/counter/new"]`;
const path = (page) => new URL(page.url()).pathname;

// One caller per language, each without an account.
const CALLERS = {
  ar: { national_id: '405551235', full_name_ar: 'خالد ناصر', phone: '0599555123', password: 'vine-terraces-of-hebron' },
  en: { national_id: '405551243', full_name_ar: 'ليلى عمرو', full_name_en: 'Layla Amr', phone: '0599555124', password: 'stone-houses-old-city' },
};
const FILING_FOR = { ar: 'تقدّم هذا الطلب باسم', en: 'You are filing for' };
const EXISTS = { ar: 'فُتح لك حساب بهذا الرقم الوطني', en: 'An account with this ID number was already opened for you' };

async function follow(page, selector) {
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator(selector).first().click();
  return nav;
}

// The texts of the SMS files sent to a local phone number (the notify worker runs every second).
function smsTo(phone) {
  const to = `To: +970${phone.slice(1)}\n`;
  let files = [];
  try {
    files = readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt')).sort();
  } catch { /* not there yet */ }
  return files.map((f) => readFileSync(join(OUTBOX_DIR, f), 'utf8')).filter((t) => t.startsWith(to));
}
async function waitForSms(phone, want) {
  for (let i = 0; i < 100; i++) {
    const hit = smsTo(phone).find(want);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

// A member of staff from the home page to the staff home (signing in and enrolling the
// authenticator the first time; with a session, straight to the staff home).
async function staffHome(page, lang, state, who) {
  if (state) return page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'a[href="/login"]');
  await fillForm(page, 'form[action="/login"]', { login: who.login, password: who.password });
  await submit(page, 'form[action="/login"]');
  const form = 'form[action="/account/totp"]';
  const secret = await page.locator(`${form} input[name="secret"]`).inputValue();
  await fillForm(page, form, { code: totp(secret) });
  await submit(page, form);
  return follow(page, 'main a[href="/staff"]');
}

async function toNewCaller(page) {
  await follow(page, `main ul.tools a[href="${M}/counter"]`);
  return follow(page, `main a[href="${M}/counter/new"]`);
}

const HOURS = { ar: 'من السبت إلى الخميس، من الثامنة حتى الثانية', en: 'Saturday to Thursday, 8:00 to 14:00' };
const ADDED = { ar: { slug: 'jenin', name_ar: 'بلدية جنين', name_en: 'Jenin Municipality' },
  en: { slug: 'tubas', name_ar: 'بلدية طوباس', name_en: 'Tubas Municipality' } };

// The admin changes the opening hours on the profile and reads them on the public page; the
// platform admin adds a municipality and opens its page.
let admin = null;  // the municipal admin's session, once signed in

async function profileAndMunicipalities(browser) {
  let platform = null;
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, `${M}/profile`, lang, {
      label: "the municipality's profile, saved", reopen: false, noJs: false, state: admin,
      open: async (page, l) => {
        await staffHome(page, l, admin, STAFF.admin);
        if (!admin) admin = sessionOnly(await page.context().storageState());
        await follow(page, `main ul.tools a[href="${M}/profile"]`);
        await fillForm(page, `form[action="${M}/profile"]`, { [`hours_${l}`]: HOURS[l] });
        return submit(page, `form[action="${M}/profile"]`);
      },
      more: { name: 'says so, and the public page shows the new opening hours', fn: async (page) => {
        if (!(await page.locator('main .notice').count())) return `not saved: ${page.url()}`;
        await follow(page, `main .notice a[href="${M}"]`);
        const contact = await page.locator('main dl.contact').innerText();
        if (!contact.includes(HOURS[lang])) return `the contact list says "${contact}"`;
      } },
    });
    const added = ADDED[lang];
    await testPage(browser, '/admin/municipalities', lang, {
      label: 'the municipalities after adding one', status: 201, reopen: false, noJs: false, state: platform,
      open: async (page, l) => {
        await staffHome(page, l, platform, STAFF.platform);
        if (!platform) platform = sessionOnly(await page.context().storageState());
        await follow(page, 'main ul.tools a[href="/admin/municipalities"]');
        await fillForm(page, 'form[action="/admin/municipalities"]', added);
        return submit(page, 'form[action="/admin/municipalities"]');
      },
      more: { name: 'lists the new municipality, whose page opens', fn: async (page) => {
        if (!(await page.locator(`main .notice a[href="/m/${added.slug}/staff"]`).count())) return 'no next step to its staff';
        await follow(page, `main table a[href="/m/${added.slug}"]`);
        const h1 = await page.locator('main h1').innerText();
        if (h1 !== (lang === 'ar' ? added.name_ar : added.name_en)) return `its page says "${h1}"`;
      } },
    });
  }
}

const SERVICE = `${M}/admin/services/clearance-certificate`;
const RENAMED = 'Certificate of no dues';

// The admin renames a service; the auditor reads both changes before and after.
async function auditedChanges(browser) {
  await check('the admin renames a service in the editor, from the staff home', async () => {
    const ctx = await browser.newContext({ storageState: admin });
    try {
      const page = await ctx.newPage();
      await staffHome(page, 'en', admin, STAFF.admin);
      await follow(page, `main ul.tools a[href="${M}/admin/services"]`);
      await follow(page, `main a[href="${SERVICE}"]`);
      await fillForm(page, `form[action="${SERVICE}"]`, { name_en: RENAMED });
      await submit(page, `form[action="${SERVICE}"]`);
      if (path(page) !== SERVICE) return `after saving: ${page.url()}`;
    } finally {
      await ctx.close();
    }
  });
  await testPage(browser, `${M}/audit`, 'en', {
    label: "the auditor's log with the profile's and the service's changes", reopen: false, noJs: false,
    open: async (page, l) => {
      await staffHome(page, l, null, STAFF.auditor);
      return follow(page, `main ul.tools a[href="${M}/audit"]`);
    },
    more: { name: 'shows the values before and after', fn: async (page) => {
      const rows = await page.locator('main table tbody tr').allInnerTexts();
      const profile = rows.find((r) => r.includes("Municipality's profile changed"));
      if (!profile || !profile.includes('Sunday to Thursday, 8:00 to 15:00') || !profile.includes(HOURS.en))
        return `no profile change with the hours before and after: ${profile}`;
      const service = rows.find((r) => r.includes('Service edited') && r.includes(RENAMED));
      if (!service || !service.includes('Clearance certificate')) return 'no service change with its name before and after';
    } },
  });
}

const PARKS = { ar: { name_ar: 'دائرة الحدائق', name_en: 'Parks' }, en: { name_ar: 'دائرة الملاعب', name_en: 'Playgrounds' } };
const REFUSED = { ar: 'لا يمكن تعطيل', en: 'cannot be disabled' };

// The refusal in Arabic, the disabling in English (each page's other language is the same
// template and messages, checked by the HTTP tests).
async function departments(browser) {
  for (const lang of Object.keys(LANGS)) {
    if (lang === 'ar') await testPage(browser, `${M}/departments/engineering/disable`, lang, {
      label: 'disabling a department with live services, refused', status: 409, reopen: false, noJs: false, state: admin,
      open: async (page, l) => {
        await staffHome(page, l, admin, STAFF.admin);
        await follow(page, `main ul.tools a[href="${M}/departments"]`);
        return submit(page, `form[action="${M}/departments/engineering/disable"]`);
      },
      more: { name: 'names the live services and links to them', fn: async (page) => {
        const text = await page.locator('main .error-summary').innerText().catch(() => '');
        if (!text.includes(REFUSED[lang])) return `the refusal says "${text}"`;
        if (!(await page.locator(`main .error-summary a[href="${M}/admin/services/building-permit"]`).count()))
          return 'no link to the building permit service';
      } },
    });
    if (lang === 'ar') continue;
    const parks = PARKS[lang];
    const slug = parks.name_en.toLowerCase();
    await testPage(browser, `${M}/departments/${slug}/disable`, lang, {
      label: 'a department nothing depends on, disabled', reopen: false, noJs: false, state: admin,
      open: async (page, l) => {
        await staffHome(page, l, admin, STAFF.admin);
        await follow(page, `main ul.tools a[href="${M}/departments"]`);
        await fillForm(page, `form[action="${M}/departments"]`, parks);
        await submit(page, `form[action="${M}/departments"]`);
        return submit(page, `form[action="${M}/departments/${slug}/disable"]`);
      },
      more: { name: 'shows it disabled, offers to enable it, and no longer offers it for new staff', fn: async (page) => {
        if (!(await page.locator(`form[action="${M}/departments/${slug}/enable"]`).count())) return 'no way to enable it again';
        await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
        await follow(page, `main ul.tools a[href="${M}/staff"]`);
        if (await page.locator(`main select[name="department"] option[value="${slug}"]`).count())
          return 'the staff form still offers the disabled department';
      } },
    });
  }
}

await spec(async (browser) => {
  if (!STAFF.counter.password) throw new Error('no password for the counter clerk');
  await profileAndMunicipalities(browser);
  if (admin) await auditedChanges(browser);
  await departments(browser);
  let state = null;
  const filed = {};
  for (const lang of Object.keys(LANGS)) {
    const caller = CALLERS[lang];
    if (lang === 'ar') {
      // Checked as registration checks: each wrong field named, nothing filed.
      await testPage(browser, `${M}/counter/new`, lang, {
        label: 'a caller recorded with a wrong ID and phone', status: 422, reopen: false, noJs: false,
        open: async (page, l) => {
          await staffHome(page, l, null, STAFF.counter);
          state = sessionOnly(await page.context().storageState());
          await toNewCaller(page);
          await fillForm(page, NEW, { full_name_ar: caller.full_name_ar, national_id: '405551236', phone: '0571234567' });
          await page.locator(`${NEW} select[name="service"]`).selectOption('clearance-certificate');
          return submit(page, NEW);
        },
        more: { name: 'names the ID and the phone in the error summary', fn: async (page) => {
          for (const field of ['national_id', 'phone']) {
            const problem = await summaryLinks(field)(page);
            if (problem) return problem;
          }
        } },
      });
    }
    let banner = '';
    await testPage(browser, `${M}/counter`, lang, {
      label: 'the counter after filing for a caller without an account', reopen: false, noJs: false, state,
      open: async (page, l) => {
        if (!state) throw new Error('the clerk did not sign in');
        await staffHome(page, l, state, STAFF.counter);
        await toNewCaller(page);
        await fillForm(page, NEW, caller.full_name_en
          ? { full_name_ar: caller.full_name_ar, full_name_en: caller.full_name_en, national_id: caller.national_id, phone: caller.phone }
          : { full_name_ar: caller.full_name_ar, national_id: caller.national_id, phone: caller.phone });
        await page.locator(`${NEW} select[name="lang"]`).selectOption(l);
        await page.locator(`${NEW} select[name="service"]`).selectOption('clearance-certificate');
        await page.locator(`${NEW} select[name="channel"]`).selectOption('counter');
        await submit(page, NEW);
        banner = await page.locator('main .notice').first().innerText().catch(() => '');
        const form = 'form[action^="/applications/"]';
        await page.locator(`${form} input[name="purpose"][value="trade_licence"]`).check();
        await page.locator(`${form} input[name="delivery"][value="counter"]`).check();
        await submit(page, form);
        await page.locator('#declaration').check();
        return submit(page, 'form[action$="/check"]');
      },
      more: { name: 'named the caller on the form, gives the tracking number, and the caller gets both SMS', fn: async (page) => {
        const name = lang === 'en' && caller.full_name_en ? caller.full_name_en : caller.full_name_ar;
        if (!banner.includes(FILING_FOR[lang]) || !banner.includes(name))
          return `the form says "${banner}"`;
        const tracking = new URL(page.url()).searchParams.get('filed') || '';
        if (!tracking.startsWith('HEB-')) return `not filed: ${page.url()}`;
        if (!(await page.locator('main .tracking').innerText()).includes(tracking)) return 'no tracking number shown';
        filed[lang] = tracking;
        if (!(await waitForSms(caller.phone, (t) => t.includes('/password/forgot'))))
          return `no SMS to ${caller.phone} on taking the account over`;
        if (!(await waitForSms(caller.phone, (t) => t.includes(tracking))))
          return `no SMS to ${caller.phone} with ${tracking}`;
      } },
    });
    // The caller registers with the same ID: told the account exists, the code comes by SMS.
    let before = 0;
    await testPage(browser, '/register', lang, {
      label: 'registering with the ID of an account opened at the counter', reopen: false, noJs: false,
      open: async (page, l) => {
        before = smsTo(caller.phone).length;
        await page.goto(urlFor('/', l), { waitUntil: 'load' });
        await follow(page, 'a[href="/login"]');
        await follow(page, 'main a[href="/register"]');
        await fillForm(page, 'form[action="/register"]', {
          national_id: caller.national_id, full_name_ar: caller.full_name_ar, phone: caller.phone, password: caller.password,
        });
        return submit(page, 'form[action="/register"]');
      },
      more: { name: 'says the account exists; the code from the SMS takes it over and the application is there', fn: async (page) => {
        if (path(page) !== '/register') return `ended at ${page.url()}`;
        const intro = await page.locator('main').innerText();
        if (!intro.includes(EXISTS[lang])) return `the page does not say the account exists: ${intro.slice(0, 300)}`;
        let code = '';
        for (let i = 0; i < 100 && !code; i++) {
          const fresh = smsTo(caller.phone).slice(before).map((t) => t.slice(t.indexOf('\n\n') + 2).match(/[0-9]{8}/));
          code = fresh.find(Boolean)?.[0] || '';
          if (!code) await new Promise((r) => setTimeout(r, 100));
        }
        if (!code) return `no code by SMS to ${caller.phone}`;
        await fillForm(page, 'form[action="/password/reset"]', { code, password: caller.password });
        await submit(page, 'form[action="/password/reset"]');
        await follow(page, 'main a[href="/login"]');
        await fillForm(page, 'form[action="/login"]', { login: caller.national_id, password: caller.password });
        await submit(page, 'form[action="/login"]');
        if (path(page) !== '/account') return `signing in ended at ${page.url()}`;
        await follow(page, 'main a[href="/account/cases"]');
        if (!(await page.locator(`main a[href="/account/cases/${filed[lang]}"]`).count()))
          return `${filed[lang]} is not among the caller's applications`;
      } },
    });
  }
});
