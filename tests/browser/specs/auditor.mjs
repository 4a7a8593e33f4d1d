// The auditor's journeys, walked as they walk them: the municipal admin disables a colleague and
// enables them again from the staff page; the auditor signs in from the home page, follows their
// home's link to the audit log and reads it in their language: actions named, date and time,
// staff by name, the account's status before and after, filters by person and by date, paging,
// and the filtered view downloaded as CSV (with a byte-order mark, so that spreadsheets read
// Arabic).
import { check, sessionOnly, spec, testPage, urlFor } from '../harness.mjs';
import { STAFF } from '../people.mjs';
import { fillForm, submit, totp } from '../signin.mjs';

const M = '/m/hebron';
const path = (page) => new URL(page.url()).pathname;

// Follows the first link matching `selector` and waits for the page it opens.
async function follow(page, selector) {
  const link = page.locator(selector).first();
  if (!(await link.count())) throw new Error(`no link ${selector} on ${page.url()}`);
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await link.click();
  return nav;
}

// From the home page to the staff home: the header's sign-in link, the password, the
// authenticator's enrolment and the recovery codes' link onward. Returns an open page at /staff.
async function signInFromHome(browser, who, lang) {
  if (!who.password) throw new Error(`no password for ${who.login}`);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'header a[href^="/login"]');
  await fillForm(page, 'form[action="/login"]', { login: who.login, password: who.password });
  await submit(page, 'form[action="/login"]');
  const form = 'form[action="/account/totp"]';
  const secret = await page.locator(`${form} input[name="secret"]`).inputValue();
  await fillForm(page, form, { code: totp(secret) });
  await submit(page, form);
  await follow(page, 'main a[href="/staff"]');
  if (path(page) !== '/staff') throw new Error(`signed in at ${page.url()}, want /staff`);
  return { ctx, page };
}

// YYYY-MM-DD of a moment in Hebron, from its parts (a locale's own date format differs between
// ICU builds: Debian's Node gives "en-CA" no ISO form).
function hebronDay(ms) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Asia/Hebron', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// The rows of the log's table as text, one string per row.
const rows = (page) => page.$$eval('main table tbody tr', (trs) => trs.map((tr) => tr.innerText));

// What each language must show for the admin's two status changes of the cashier.
const WANT = {
  ar: { action: 'تفعيل حساب أو تعطيله', admin: 'مدير النظام', cashier: 'أمين الصندوق',
    disabled: 'حالة الحساب: مفعّل ← معطّل', enabled: 'حالة الحساب: معطّل ← مفعّل',
    empty: 'لا توجد قيود تطابق التصفية', time: /[٠-٩]{1,2}:[٠-٩]{2}/ },
  en: { action: 'Account enabled or disabled', admin: 'System administrator', cashier: 'Cashier',
    disabled: 'Account status: active → disabled', enabled: 'Account status: disabled → active',
    empty: 'No entries match the filters', time: /\d{1,2}:\d{2}/ },
};

await spec(async (browser) => {
  let admin = null;
  await check("admin disables the cashier and enables them again from the staff page, resets the cashier's password and second factor, reads ratings, keeps the holidays and the departments [ar]", async () => {
    const { ctx, page } = await signInFromHome(browser, STAFF.admin, 'ar');
    admin = sessionOnly(await ctx.storageState());
    try {
      await follow(page, `main a[href="${M}/staff"]`);
      for (const want of ['enable', 'disable']) {
        const form = `form[action="${M}/staff/hebron.cashier/status"]`;
        await submit(page, form);
        const value = await page.locator(`${form} [name="action"]`).first().getAttribute('value');
        if (value !== want) return `after pressing, the cashier's button is ${value}, want ${want}`;
      }
      // The role has no default; oneself cannot be disabled; a colleague's password and second
      // factor are reset.
      if ((await page.locator('#role').inputValue()) !== '') return 'the role list has a default';
      await submit(page, `form[action="${M}/staff/hebron.admin/status"]`);
      const refused = await page.locator('main .error-summary').innerText();
      if (!refused.includes('لا يمكنك تعطيل حسابك')) return `disabling oneself: ${refused}`;
      await submit(page, `form[action="${M}/staff/hebron.cashier/password"]`);
      const temp = await page.locator('main .notice code').innerText();
      if (!/^hebron\.cashier — \S{12,}$/.test(temp)) return `temporary password: ${temp}`;
      await submit(page, `form[action="${M}/staff/hebron.cashier/second-factor"]`);
      const notice = await page.locator('main .notice').innerText();
      if (!notice.includes('تطبيق مصادقة جديد')) return `second factor: ${notice}`;
      // Ratings: every service's, from the admin's home.
      await follow(page, 'header a[href="/account"]');
      await follow(page, 'main a[href="/staff"]');
      await follow(page, `main a[href="${M}/admin/ratings"]`);
      const list = await rows(page);
      if (list.length < 5) return `${list.length} services listed`;
      if (!list.some((r) => /[٠-٩]٫?[٠-٩]?\s*$/.test(r))) return `no average: ${list.join(' | ')}`;
      // The holidays case deadlines skip: one added, then removed again.
      await follow(page, 'header a[href="/account"]');
      await follow(page, 'main a[href="/staff"]');
      await follow(page, `main a[href="${M}/calendar"]`);
      const form = `main form[action="${M}/calendar"]`;
      await fillForm(page, form, { day: '2030-03-13', name_ar: 'عطلة تجريبية', name_en: 'Trial holiday' });
      await submit(page, form);
      if (!(await rows(page)).some((r) => r.includes('عطلة تجريبية'))) return 'the holiday is not listed';
      await submit(page, `main form[action="${M}/calendar/2030-03-13/remove"]`);
      if ((await rows(page)).some((r) => r.includes('عطلة تجريبية'))) return 'the holiday is still listed';
      // A department added, then renamed through its "change" link.
      await follow(page, 'header a[href="/account"]');
      await follow(page, 'main a[href="/staff"]');
      await follow(page, `main a[href="${M}/departments"]`);
      const add = `main form[action="${M}/departments"]`;
      await fillForm(page, add, { name_ar: 'دائرة الحدائق', name_en: 'Parks' });
      await submit(page, add);
      if (!(await rows(page)).some((r) => r.includes('دائرة الحدائق'))) return 'the department is not listed';
      await follow(page, `main a[href="${M}/departments/parks"]`);
      const change = `main form[action="${M}/departments/parks"]`;
      await fillForm(page, change, { name_ar: 'دائرة الحدائق العامة' });
      await submit(page, change);
      if (!(await rows(page)).some((r) => r.includes('دائرة الحدائق العامة'))) return 'the new name is not listed';
    } finally {
      await ctx.close();
    }
  });

  // The head of engineering: their department's services, one's distribution and comments, and
  // a rated case's page.
  await check("head reads a service's ratings, comments and a rated case [en]", async () => {
    const { ctx, page } = await signInFromHome(browser, STAFF.head, 'en');
    try {
      await follow(page, `main a[href="${M}/ratings"]`);
      const list = await page.$$eval('main tbody tr', (trs) => trs.map((tr) => ({
        href: tr.querySelector('a').getAttribute('href'), count: Number(tr.cells[1].innerText.replace(/,/g, '')),
      })));
      const rated = list.filter((r) => r.count >= 4);
      if (!rated.length) return `no engineering service with ratings: ${JSON.stringify(list)}`;
      await follow(page, `main a[href="${rated[0].href}"]`);
      const lead = await page.locator('main p.lead').innerText();
      if (!/^Average \d(\.\d)? out of 5, from \d+ ratings\.$/.test(lead)) return `summary "${lead}"`;
      const shares = await page.$$eval('main tbody tr td:last-child', (tds) => tds.map((td) => td.innerText));
      if (shares.length !== 5 || !shares.every((x) => /^\d+%$/.test(x))) return `shares ${shares.join(' ')}`;
      const comments = await page.locator('main ul.comments li').count();
      if (!comments) return 'no comments';
      await follow(page, 'main ul.comments li a[href*="/cases/"]');
      const panel = await page.locator('main section[aria-labelledby="rating-heading"]').innerText();
      if (!/out of 5/.test(panel)) return `the case page shows no rating: ${panel}`;
    } finally {
      await ctx.close();
    }
  });

  const { ctx, page } = await signInFromHome(browser, STAFF.auditor, 'ar');
  try {
    for (const lang of ['ar', 'en']) {
      const w = WANT[lang];
      await check(`auditor reads the log from their home [${lang}]: names, times, before/after`, async () => {
        if (lang === 'en') await follow(page, 'header a[hreflang="en"]');
        await follow(page, 'header a[href="/account"]');
        await follow(page, 'main a[href="/staff"]');
        await follow(page, `main a[href="${M}/audit"]`);
        const all = await rows(page);
        const status = all.filter((r) => r.includes(w.action));
        if (status.length < 2) return `${status.length} rows named "${w.action}":\n${all.slice(0, 5).join('\n')}`;
        const bad = [];
        if (!status[0].includes(w.admin) || !status[0].includes(w.cashier)) {
          bad.push(`the newest status change does not name ${w.admin} and ${w.cashier}: ${status[0]}`);
        }
        if (!status[0].includes(w.enabled)) bad.push(`no "${w.enabled}" in ${status[0]}`);
        if (!status[1].includes(w.disabled)) bad.push(`no "${w.disabled}" in ${status[1]}`);
        const time = await page.locator('main table tbody time').first().innerText();
        if (!w.time.test(time)) bad.push(`time "${time}" has no hour and minute`);
        return bad.join('\n');
      });

      await check(`auditor filters by person and by date, and pages [${lang}]`, async () => {
        await page.selectOption('#person', { label: w.admin });
        await submit(page, `main form[method="get"]`);
        const mine = await rows(page);
        if (!mine.length) return `no entries for ${w.admin}`;
        const other = mine.filter((r) => !r.includes(w.admin));
        if (other.length) return `entries without ${w.admin}: ${other[0]}`;
        const today = hebronDay(Date.now());
        const tomorrow = hebronDay(Date.now() + 86400000);
        await fillForm(page, `main form[method="get"]`, { from: today, to: today });
        await submit(page, `main form[method="get"]`);
        if ((await rows(page)).length !== mine.length) return `today's entries of ${w.admin} differ from all of them`;
        await fillForm(page, `main form[method="get"]`, { from: tomorrow, to: '' });
        await submit(page, `main form[method="get"]`);
        if ((await rows(page)).length) return 'entries from tomorrow on';
        if (!(await page.locator('main').innerText()).includes(w.empty)) return `no "${w.empty}"`;
        await follow(page, 'main form[method="get"] a');  // clear the filters
        const first = await rows(page);
        if (first.length === 50) {
          await follow(page, 'main a[href*="before="]');
          const older = await rows(page);
          if (!older.length) return 'the older entries page is empty';
          const n = (r) => Number(r.split('\t')[0].replace(/[٠-٩]/g, (d) => '٠١٢٣٤٥٦٧٨٩'.indexOf(d)).replace(/[^0-9]/g, ''));
          if (n(older[0]) >= n(first[first.length - 1])) return `older page starts at ${older[0]}`;
        }
      });

      await check(`auditor downloads the admin's entries as CSV [${lang}]`, async () => {
        await follow(page, 'header a[href="/account"]');
        await follow(page, 'main a[href="/staff"]');
        await follow(page, `main a[href="${M}/audit"]`);
        await page.selectOption('#person', { label: w.admin });
        await submit(page, `main form[method="get"]`);
        const href = await page.locator('main a[href*="/audit/export"]').getAttribute('href');
        if (!href.includes('person=')) return `the export link ${href} drops the filter`;
        const res = await page.request.get(new URL(href, page.url()).toString());
        if (res.status() !== 200) return `export: ${res.status()}`;
        if (!res.headers()['content-type'].startsWith('text/csv')) return `type ${res.headers()['content-type']}`;
        const bytes = await res.body();
        if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) return 'no UTF-8 byte-order mark';
        const text = bytes.toString('utf8');
        const lines = text.trim().split('\r\n');
        if (lines.length < 3) return `${lines.length} lines`;
        if (!lines.slice(1).every((l) => l.includes(w.admin))) return `a line without ${w.admin}`;
        if (!text.includes(w.action) || !text.includes(w.cashier)) return `no "${w.action}" about ${w.cashier}`;
      });
    }
    // Budgets, axe and 320 px, on the whole log and on a refused filter, in both languages.
    const auditor = sessionOnly(await ctx.storageState());
    for (const lang of ['ar', 'en']) {
      await testPage(browser, `${M}/audit`, lang, { label: `${M}/audit (auditor)`, state: auditor, stay: `${M}/audit` });
      await testPage(browser, `${M}/audit?from=2026-02-30`, lang, {
        label: `${M}/audit?from=2026-02-30 (auditor)`, state: auditor, status: 400,
      });
    }
  } finally {
    await ctx.close();
  }
  // The admin's holidays and departments pages, and a department's, in both languages.
  for (const lang of ['ar', 'en']) {
    for (const p of [`${M}/calendar`, `${M}/departments`, `${M}/departments/parks`]) {
      await testPage(browser, p, lang, { label: `${p} (admin)`, state: admin, stay: p });
    }
  }
});
