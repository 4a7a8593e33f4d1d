// The people of the browser specs: residents who register through /register, demo staff who
// sign in with the passwords the seed printed (run.mjs passes them through the environment), and
// the password reset whose code a resident reads from an SMS in the server's drop folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, ORIGIN, sessionOnly, testPage, urlFor } from './harness.mjs';
import { fillForm, register, staffSignIn, submit } from './signin.mjs';

// The resident of the brief: a valid (check-digit) national ID.
export const RESIDENT = {
  national_id: '401234562', full_name_ar: 'سلمى الخليلي', phone: '0599123456',
  password: 'olive-harvest-season',
};
// A neighbour who reported a problem first (the duplicate check's flow).
export const NEIGHBOUR = {
  national_id: '123456782', full_name_ar: 'يوسف النتشة', phone: '0599765432',
  password: 'grape-harvest-season',
};
// Wrong check digit, no name, a short phone, a common password: every field has an error.
export const BAD_RESIDENT = { national_id: '401234563', full_name_ar: '', phone: '123', password: 'password' };

export const STAFF = {
  admin: { login: 'hebron.admin', password: process.env.STAFF_ADMIN_PASSWORD || '' },
  auditor: { login: 'hebron.auditor', password: process.env.STAFF_AUDITOR_PASSWORD || '' },
  counter: { login: 'hebron.counter', password: process.env.STAFF_COUNTER_PASSWORD || '' },
  clerk: { login: 'hebron.clerk', password: process.env.STAFF_CLERK_PASSWORD || '' },
  head: { login: 'hebron.head', password: process.env.STAFF_HEAD_PASSWORD || '' },
  cashier: { login: 'hebron.cashier', password: process.env.STAFF_CASHIER_PASSWORD || '' },
  waterHead: { login: 'hebron.water.head', password: process.env.STAFF_WATER_HEAD_PASSWORD || '' },
  waterClerk: { login: 'hebron.water.clerk', password: process.env.STAFF_WATER_CLERK_PASSWORD || '' },
  revenueClerk: { login: 'hebron.revenue.clerk', password: process.env.STAFF_REVENUE_CLERK_PASSWORD || '' },
  healthHead: { login: 'hebron.health.head', password: process.env.STAFF_HEALTH_HEAD_PASSWORD || '' },
  healthClerk: { login: 'hebron.health.clerk', password: process.env.STAFF_HEALTH_CLERK_PASSWORD || '' },
  serviceClerk: { login: 'hebron.service.clerk', password: process.env.STAFF_SERVICE_CLERK_PASSWORD || '' },
  observer: { login: 'ministry.observer', password: process.env.STAFF_OBSERVER_PASSWORD || '' },
  platform: { login: 'platform.admin', password: process.env.STAFF_PLATFORM_PASSWORD || '' },
};

// A resident registers through /register (or, when the ID is already taken because the database
// was used before, logs in with the same password) and ends on /account. Returns the session.
export async function residentSession(browser, resident = RESIDENT) {
  let state = null;
  await check(`resident ${resident.national_id}: registers at /register and lands on /account`, async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      try {
        await register(page, ORIGIN + '/register', resident);
      } catch (e) {
        if (!(await page.locator('#national_id-error').count())) throw e;
        await page.goto(ORIGIN + '/login', { waitUntil: 'load' });
        await fillForm(page, 'form[action="/login"]', { login: resident.national_id, password: resident.password });
        await submit(page, 'form[action="/login"]');
        if (new URL(page.url()).pathname !== '/account') throw e;
      }
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  return state;
}

// A member of staff logs in at /login in `lang` and enrols an authenticator: the recovery-codes
// page gets every page check; returns the elevated session (null when it failed).
export async function staffSession(browser, who, lang) {
  const enrol = (page, l) => staffSignIn(page, urlFor('/login', l), who.login, who.password);
  return sessionOnly(await testPage(browser, '/account/totp', lang, {
    label: `/account/totp enrolment, recovery codes (${who.login})`, open: enrol,
    reopen: false, noJs: false,
  }));
}

// "Forgot password" end to end: the code goes out through the outbox to the server's drop folder
// (OUTBOX_DIR, the --mail-drop run.mjs gives the server), where the test reads it as a phone would.
export const OUTBOX_DIR = process.env.OUTBOX_DIR || '';
const E164 = '+970' + RESIDENT.phone.slice(1);

function smsFiles() {
  try {
    return readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt'));
  } catch {
    return []; // not created yet
  }
}

// The code in the first SMS to the resident's phone that is not among `before` (each request
// replaces the previous code, so only a new message will do). The server's notify worker runs
// every second (--notify-seconds 1); this gives it ten.
async function newCode(before) {
  for (let i = 0; i < 100; i++) {
    for (const f of smsFiles().filter((f) => !before.has(f))) {
      const text = readFileSync(join(OUTBOX_DIR, f), 'utf8');
      const body = text.slice(text.indexOf('\n\n') + 2); // after the "To:" line
      const code = text.startsWith(`To: ${E164}\n`) && body.match(/[0-9]{8}/);
      if (code) return code[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new SMS with a code for ${E164} in ${OUTBOX_DIR}`);
}

async function askForCode(page, lang) {
  await page.goto(urlFor('/password/forgot', lang), { waitUntil: 'load' });
  await fillForm(page, 'form[action="/password/forgot"]', { login: RESIDENT.national_id });
  return submit(page, 'form[action="/password/forgot"]');
}

// Resets the resident's password to the same one (so later sign-ins still work), with the code
// from the SMS; opens the page that answers. Each call asks for a code: the limit refuses only
// past three requests in 15 minutes.
export async function resetPassword(page, lang) {
  const before = new Set(smsFiles());
  await askForCode(page, lang);
  const code = await newCode(before);
  await fillForm(page, 'form[action="/password/reset"]', { code, password: RESIDENT.password });
  return submit(page, 'form[action="/password/reset"]');
}

// A check that fails when the spec has no drop folder to read codes from.
export async function haveOutbox() {
  if (OUTBOX_DIR) return true;
  await check('forgot password: OUTBOX_DIR is set (run.mjs sets it)', async () => 'OUTBOX_DIR is not set');
  return false;
}

// A member of staff logs in and enrols an authenticator, as one check (the specs whose subject is
// not the enrolment itself); returns the elevated session (null when it failed).
export async function staffSignedIn(browser, who) {
  let state = null;
  await check(`${who.login}: logs in and enrols an authenticator`, async () => {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await staffSignIn(page, ORIGIN + '/login', who.login, who.password);
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  return state;
}
