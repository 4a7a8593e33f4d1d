// Service versions, walked as the municipal admin walks them: signed in from the home page, the
// staff home's link to the services, a published service, an edit that is saved as the draft of
// the next version while residents keep the published one (the service's public page, followed
// from the editor, still shows the old text), the draft's preview, and publishing it: now in
// Arabic (the public page then shows the new text), from a chosen date in English (scheduled: the
// history says so, who published it, and the public page keeps the old text). Every page on the
// way gets the page checks (axe, language, 320 px, no JavaScript).
import { check, ORIGIN, sessionOnly, spec, testPage, urlFor } from '../harness.mjs';
import { residentSession, STAFF } from '../people.mjs';
import { answeredReport, confirm } from '../reports.mjs';
import { fillForm, staffSignIn, submit } from '../signin.mjs';

const CODE = 'occupancy-permit';
const EDITOR = `/m/hebron/admin/services/${CODE}`;
const path = (page) => new URL(page.url()).pathname;

async function follow(page, selector) {
  const link = page.locator(selector).first();
  if (!(await link.count())) throw new Error(`no link ${selector} on ${page.url()}`);
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await link.click();
  return nav;
}

// The public page's description, reached by the editor's link to it.
async function publicDescription(page) {
  await page.goto(urlFor(EDITOR, page.lang), { waitUntil: 'load' });
  await follow(page, `main a[href="/m/hebron/services/${CODE}"]`);
  return (await page.locator('main').innerText());
}

// One walk in `lang`: edit the description in that language, check the draft is not live, preview it,
// publish (now or on a date). Returns the session.
// The first walk signs in from the home page (the header's link, the password, the
// authenticator, the recovery codes' link to the staff home); the next ones start from the staff
// home of that session.
async function walk(browser, lang, marker, when, session = null) {
  let state = null;
  await check(`admin edits ${CODE} as a draft, previews and publishes it ${when} [${lang}]`, async () => {
    const ctx = await browser.newContext(session ? { storageState: session } : {});
    try {
      const page = await ctx.newPage();
      page.lang = lang;
      if (session) {
        await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
      } else {
        await page.goto(urlFor('/', lang), { waitUntil: 'load' });
        const login = await page.locator('header a[href^="/login"]').first().getAttribute('href');
        await staffSignIn(page, new URL(login, ORIGIN).href, STAFF.admin.login, STAFF.admin.password);
        await follow(page, 'main a[href="/staff"]');
      }
      await follow(page, 'main a[href="/m/hebron/admin/services"]');
      await follow(page, `main a[href="${EDITOR}"]`);
      const before = await publicDescription(page);
      await page.goBack({ waitUntil: 'load' });
      // The edit: saved, as the draft of the next version.
      const form = `form[action="${EDITOR}"]`;
      // The description residents read in this language.
      const field = `description_${lang}`;
      const old = await page.locator(`${form} [name="${field}"]`).inputValue();
      await fillForm(page, form, { [field]: `${old} ${marker}` });
      const saved = await submit(page, form);
      if (!saved || saved.status() !== 200) return `saving: ${saved ? saved.status() : '?'} at ${page.url()}`;
      if (!(await page.locator(`main a[href="${EDITOR}/versions"]`).count())) return 'no link to the versions after the edit';
      // Residents are still served the published text.
      const during = await publicDescription(page);
      if (during.includes(marker)) return `the edit went live at once: the public page shows "${marker}"`;
      if (lang === 'en' && during !== before) return 'the public page changed before the draft was published';
      await page.goto(urlFor(EDITOR, lang), { waitUntil: 'load' });
      await follow(page, `main a[href="${EDITOR}/preview"]`);
      if (!(await page.locator('main').innerText()).includes(marker)) return 'the preview does not show the draft';
      await follow(page, `main a[href="${EDITOR}/versions"]`);
      const publish = `form[action="${EDITOR}/versions/publish"]`;
      if (when === 'now') {
        await page.check('#when-now');
      } else {
        await page.check('#when-later');
        const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        await fillForm(page, publish, { date: tomorrow, time: '08:00' });
      }
      const done = await submit(page, publish);
      if (!done || done.status() !== 200 || path(page) !== `${EDITOR}/versions`) {
        return `publishing: ${done ? done.status() : '?'} at ${page.url()}`;
      }
      const history = await page.locator('table tbody').innerText();
      const want = when === 'now' ? (lang === 'ar' ? 'معمول به' : 'Live') : (lang === 'ar' ? 'مجدول' : 'Scheduled');
      if (!history.includes(want)) return `the history does not show "${want}":\n${history}`;
      const after = await publicDescription(page);
      if (when === 'now' && !after.includes(marker)) return 'published now, but the public page does not show it';
      if (when !== 'now' && after.includes(marker)) return 'scheduled for tomorrow, but already live';
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  return state;
}

// A resident's report waits on "check your answers" while the admin withdraws the service: the
// service page's "Withdraw" asks first (English), then withdraws; the resident's submission is
// refused in their language, the draft kept and listed in their applications.
async function withdrawnUnderADraft(browser, admin) {
  const resident = await residentSession(browser);
  if (!resident) return;
  const SERVICE = '/m/hebron/admin/services/street-light-report';
  await check('a withdrawn service refuses the submission of a draft started before, in Arabic and English, and keeps it', async () => {
    const rctx = await browser.newContext({ storageState: resident });
    const actx = await browser.newContext({ storageState: admin });
    try {
      const r = await rctx.newPage();
      await answeredReport(r, 'ar');
      const at = path(r);
      if (!at.endsWith('/check')) return `the resident is at ${r.url()}, want check your answers`;
      // The admin: the staff home, the services, the service, "Withdraw", the confirmation.
      const a = await actx.newPage();
      await a.goto(urlFor('/staff', 'en'), { waitUntil: 'load' });
      await follow(a, 'main a[href="/m/hebron/admin/services"]');
      await follow(a, `main a[href="${SERVICE}"]`);
      await follow(a, `main a[href="${SERVICE}/withdraw"]`);
      if (!(await a.locator('h1').innerText()).startsWith('Withdraw')) return `no confirmation at ${a.url()}`;
      await follow(a, `main a[href="${SERVICE}"]`);  // "No, keep it published"
      await follow(a, `main a[href="${SERVICE}/withdraw"]`);
      const done = await submit(a, `form[action="${SERVICE}/status"]`);
      if (!done || done.status() !== 200) return `withdrawing: ${done ? done.status() : '?'}`;
      // The resident submits: refused, said in Arabic, the draft kept.
      const refused = await confirm(r);
      if (!refused || refused.status() !== 409) return `the submission answered ${refused ? refused.status() : '?'} at ${r.url()}, want 409`;
      if (!(await r.locator('main').innerText()).includes('سحبت البلدية هذه الخدمة')) return 'no Arabic reason on the refused page';
      await follow(r, 'header a[hreflang="en"]');
      const again = await confirm(r);
      if (!again || again.status() !== 409) return `again in English: ${again ? again.status() : '?'}`;
      if (!(await r.locator('main').innerText()).includes('The municipality has withdrawn this service')) return 'no English reason';
      await follow(r, 'main a[href="/account/cases"]');
      const draft = at.replace(/\/check$/, '');
      const drafts = await r.locator(`main a[href^="${draft}"]`).count();
      if (!drafts) return `the draft is not listed in ${r.url()}`;
    } finally {
      await rctx.close();
      await actx.close();
    }
  });
}

// The admin adds a question by its labels alone (no machine name typed: one is made), and a fee
// rule's answer is chosen from the form's answers instead of typed as a code.
async function questionsAndChoices(browser, admin, lang) {
  await check(`a question needs only its labels; fee rules choose answers from a list [${lang}]`, async () => {
    const ctx = await browser.newContext({ storageState: admin });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
      await follow(page, 'main a[href="/m/hebron/admin/services"]');
      await follow(page, `main a[href="${EDITOR}"]`);
      // The fee rule's answer: a list of the form's answers, labelled in the page's language.
      const choices = await page.locator('select#rule_equals_1 option').allInnerTexts();
      if (choices.length < 3) return `the fee rule's answer is not a list of answers: ${choices.length} options`;
      await follow(page, `main a[href="${EDITOR}/form"]`);
      const add = `${EDITOR}/form/pages/1/fields/new`;
      await follow(page, `main a[href="${add}"]`);
      const label = lang === 'ar' ? 'رقم الحوض' : 'Basin number';
      await fillForm(page, `form[action="${add}"]`, { label_ar: `${label} ${lang}`, label_en: `Basin number ${lang}` });
      await page.selectOption(`form[action="${add}"] select#type`, 'text');
      const saved = await submit(page, `form[action="${add}"]`);
      if (!saved || saved.status() !== 200) return `adding a question without a name: ${saved ? saved.status() : '?'} at ${page.url()}`;
      await page.goto(urlFor(`${EDITOR}/form`, lang), { waitUntil: 'load' });
      if (!(await page.locator(`main a[href="${EDITOR}/form/fields/basin_number_${lang}"]`).count())) {
        return `no question named basin_number_${lang} on the form page`;
      }
    } finally {
      await ctx.close();
    }
  });
}

await spec(async (browser) => {
  const signedIn = await walk(browser, 'ar', 'الإصدار الثاني.', 'now');
  if (!signedIn) return;
  const admin = await walk(browser, 'en', 'Version three.', 'on a date', signedIn);
  if (!admin) return;
  await withdrawnUnderADraft(browser, admin);
  for (const lang of ['ar', 'en']) await questionsAndChoices(browser, admin, lang);
  for (const lang of ['ar', 'en']) {
    for (const p of [`${EDITOR}/versions`, `${EDITOR}/preview`, `${EDITOR}/withdraw`]) {
      await testPage(browser, p, lang, { label: `${p} (${STAFF.admin.login})`, state: admin, stay: p });
    }
  }
});
