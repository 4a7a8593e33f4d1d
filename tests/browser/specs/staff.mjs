// The staff journeys, walked as staff walk them: each role signs in from the home page (the
// header's sign-in link, the password, the authenticator) and lands on a home of its own tools,
// whose links are exactly what its roles open; every demo department has staff, so that a
// resident's water leak, uncollected waste and clearance certificate each reach a clerk of the
// right department through the links of that clerk's home and queue.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, LANGS, ORIGIN, sessionOnly, spec, summaryLinks, testPage, urlFor } from '../harness.mjs';
import { NEIGHBOUR, RESIDENT, residentSession, STAFF } from '../people.mjs';
import { fillForm, submit, totp } from '../signin.mjs';

const path = (page) => new URL(page.url()).pathname;

// Follows the first link matching `selector` and waits for the page it opens.
async function follow(page, selector) {
  const link = page.locator(selector).first();
  if (!(await link.count())) throw new Error(`no link ${selector} on ${page.url()}`);
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await link.click();
  return nav;
}

// The tools each role's home links, in Hebron (and the ministry's page for the observer).
const M = '/m/hebron';
const ROLES = [
  { who: STAFF.admin, lang: 'ar', tools: [`${M}/admin/services`, `${M}/staff`, `${M}/admin/ratings`, `${M}/calendar`,
    `${M}/departments`, `${M}/profile`] },
  { who: STAFF.head, lang: 'en', tools: [`${M}/queue`, `${M}/payments`, `${M}/staff/kpi`, `${M}/ratings`] },
  { who: STAFF.clerk, lang: 'ar', tools: [`${M}/queue`] },
  { who: STAFF.counter, lang: 'en', tools: [`${M}/counter`, `${M}/residents`] },
  { who: STAFF.auditor, lang: 'ar', tools: [`${M}/audit`] },
  { who: STAFF.cashier, lang: 'en', tools: [`${M}/cashier`] },
  { who: STAFF.waterHead, lang: 'ar', tools: [`${M}/queue`, `${M}/payments`, `${M}/staff/kpi`, `${M}/ratings`] },
  { who: STAFF.waterClerk, lang: 'en', tools: [`${M}/queue`] },
  { who: STAFF.revenueClerk, lang: 'ar', tools: [`${M}/queue`] },
  { who: STAFF.healthClerk, lang: 'en', tools: [`${M}/queue`] },
  { who: STAFF.healthHead, lang: 'ar', tools: [`${M}/queue`, `${M}/payments`, `${M}/staff/kpi`, `${M}/ratings`] },
  { who: STAFF.serviceClerk, lang: 'ar', tools: [`${M}/queue`] },
  { who: STAFF.observer, lang: 'en', tools: ['/ministry/performance'] },
];

// From the home page to the staff home, as a first sign-in: the header's link, the login form,
// the authenticator's enrolment, the recovery codes and their link onward. Returns the session.
async function signInFromHome(browser, role) {
  let state = null;
  await check(`${role.who.login}: signs in from the home page [${role.lang}] and lands on the home of its tools`, async () => {
    if (!role.who.password) return `no password for ${role.who.login}: the seed made no such account`;
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/', role.lang), { waitUntil: 'load' });
      await follow(page, 'header a[href^="/login"]');
      await fillForm(page, 'form[action="/login"]', { login: role.who.login, password: role.who.password });
      await submit(page, 'form[action="/login"]');
      if (path(page) !== '/account/totp') return `after the password: ${page.url()}, want /account/totp`;
      const form = 'form[action="/account/totp"]';
      const secret = await page.locator(`${form} input[name="secret"]`).inputValue();
      await fillForm(page, form, { code: totp(secret) });
      await submit(page, form);
      if (!(await page.locator('ul.codes li').count())) return `no recovery codes at ${page.url()}`;
      await follow(page, 'main a[href="/staff"]');
      if (path(page) !== '/staff') return `the recovery codes led to ${page.url()}, want /staff`;
      const links = await page.$$eval('main ul.tools a', (as) => as.map((a) => a.getAttribute('href')));
      const want = [...role.tools].sort().join(' ');
      if ([...links].sort().join(' ') !== want) return `tools ${links.join(' ')}, want ${want}`;
      state = sessionOnly(await ctx.storageState());
    } finally {
      await ctx.close();
    }
  });
  return state;
}

// A resident applies for `code` page by page: the service page's button, then each question page
// answered from `answers` (a conditional question shows once its condition is answered, so a
// page may need a second pass), "check your answers" confirmed. Returns the tracking number.
async function apply(browser, resident, code, lang, answers) {
  let tracking = '';
  await check(`resident applies for ${code} [${lang}]`, async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor(`${M}/services/${code}`, lang), { waitUntil: 'load' });
      await submit(page, `form[action="${M}/services/${code}/apply"]`);
      for (let pass = 0; pass < 6 && !path(page).endsWith('/check'); pass++) {
        const form = 'form[action^="/applications/"]';
        for (const [name, value] of Object.entries(answers)) {
          const choice = page.locator(`${form} input[name="${name}"][value="${value}"]`);
          if (await choice.count()) {
            await choice.check();
            continue;
          }
          const field = page.locator(`${form} [name="${name}"]`);
          if (await field.count()) await field.fill(value);
        }
        await submit(page, form);
      }
      if (!path(page).endsWith('/check')) return `never reached "check your answers": ${page.url()}`;
      await page.locator('#declaration').check();
      await submit(page, 'form[action$="/check"]');
      tracking = path(page).split('/').pop();
      if (!/^HEB-/.test(tracking)) return `after confirming: ${page.url()}`;
    } finally {
      await ctx.close();
    }
  });
  return tracking;
}

// The queue, newest first (the demo's older cases fill its first pages otherwise), through the
// queue's own filter form.
async function newestFirst(page) {
  await page.locator('form.filter select[name="sort"]').selectOption('-submitted');
  return submit(page, 'form.filter');
}

// The clerk goes from the home of their tools to the queue and opens the case from there; a clerk
// of another department does not see it in theirs.
async function reachesClerk(browser, tracking, clerk, clerkState, other, otherState, lang) {
  await check(`${tracking}: ${clerk.login} follows their home's queue link to it [${lang}]`, async () => {
    if (!tracking || !clerkState) return 'no case or no session';
    const ctx = await browser.newContext({ storageState: clerkState });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
      await follow(page, `main ul.tools a[href="${M}/queue"]`);
      await newestFirst(page);
      await follow(page, `main a[href="${M}/cases/${tracking}"]`);
      if (path(page) !== `${M}/cases/${tracking}`) return `opened ${page.url()}`;
      if (!(await page.locator('h1').textContent()).includes(tracking)) return 'the case page names another case';
    } finally {
      await ctx.close();
    }
  });
  await check(`${tracking}: not in the queue of ${other.login} (another department)`, async () => {
    if (!tracking || !otherState) return 'no case or no session';
    const ctx = await browser.newContext({ storageState: otherState });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor(`${M}/queue`, lang), { waitUntil: 'load' });
      await newestFirst(page);
      if (await page.locator(`a[href="${M}/cases/${tracking}"]`).count()) return 'listed';
    } finally {
      await ctx.close();
    }
  });
}

// The water head's case page of the leak: the applicant masked, the call-back number shown on
// request (and so audited), the case given to the water clerk (only water staff offered), named
// in the history, then put back in the queue.
async function headWorksCase(browser, tracking, head, clerk, prefix, lang) {
  const casePath = `${M}/cases/${tracking}`;
  const open = async (page) => {
    await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
    await follow(page, `main ul.tools a[href="${M}/queue"]`);
    await newestFirst(page);
    return follow(page, `main a[href="${casePath}"]`);
  };
  const text = (page) => page.locator('main').innerText();
  const steps = [
    ['shows the applicant with the national ID and phone masked', async (page) => {
      await open(page);
      const t = await text(page);
      if (!t.includes(RESIDENT.full_name_ar)) return 'no applicant name';
      if (t.includes(RESIDENT.national_id) || t.includes(RESIDENT.phone.slice(1))) return 'personal data shown unmasked';
      if (!(await page.locator(`form[action="${casePath}/unmask"]`).count())) return 'no "show" button';
    }],
    ['"show" on the call-back number shows it in full with a call link', async (page) => {
      await open(page);
      await submit(page, `form[action="${casePath}/unmask"]:has(input[name="field"][value="phone"])`);
      const t = await text(page);
      if (!t.includes(RESIDENT.phone.slice(1))) return `the phone is not shown: ${t.slice(0, 400)}`;
      if (!(await page.locator('main a[href^="tel:"]').count())) return 'no tel: link';
    }],
    ['assigning offers only staff of the case\'s department; the history names the clerk', async (page) => {
      await open(page);
      const options = await page.$$eval('select[name="assignee"] option', (os) => os.map((o) => o.textContent));
      if (!options.some((o) => o.includes(clerk.login))) return `no ${clerk.login} in ${options.join(', ')}`;
      const strangers = options.filter((o) => !o.includes(prefix));
      if (strangers.length) return `staff of other departments offered: ${strangers.join(', ')}`;
      const value = await page.$$eval('select[name="assignee"] option', (os, login) =>
        os.find((o) => o.textContent.includes(`(${login})`)).value, clerk.login);
      await page.locator('select[name="assignee"]').selectOption(value);
      await submit(page, `form[action="${casePath}/assign"]:has(select)`);
      const history = await page.locator('ol.history').innerText();
      if (!history.includes(clerk.login)) return `history does not name the clerk: ${history}`;
    }],
    ['unassigning puts the case back in the queue, and the history says so', async (page) => {
      await open(page);
      await submit(page, `form[action="${casePath}/assign"]:has(input[name="assignee"][value="0"])`);
      const items = await page.$$eval('ol.history li', (ls) => ls.map((l) => l.textContent));
      const want = lang === 'ar' ? 'أُلغي الإسناد' : 'Unassigned';
      if (!items.some((i) => i.includes(want))) return `no "${want}" in the history: ${items.join(' | ')}`;
      if (await page.locator('form[action$="/assign"] input[name="assignee"][value="0"]').count()) return 'still assigned';
    }],
    ['the queue\'s bulk assignment offers only staff of the head\'s department', async (page) => {
      await page.goto(urlFor('/staff', lang), { waitUntil: 'load' });
      await follow(page, `main ul.tools a[href="${M}/queue"]`);
      const options = await page.$$eval('select[name="assignee"] option', (os) => os.map((o) => o.textContent));
      if (!options.length) return 'no bulk assignment';
      const strangers = options.filter((o) => !o.includes(prefix));
      if (strangers.length) return `staff of other departments offered: ${strangers.join(', ')}`;
    }],
  ];
  for (const [name, fn] of steps) {
    await check(`${tracking} (${head.login}) [${lang}]: ${name}`, async () => {
      if (!tracking || !sessions.get(head.login)) return 'no case or no session';
      const ctx = await browser.newContext({ storageState: sessions.get(head.login) });
      try {
        return await fn(await ctx.newPage());
      } finally {
        await ctx.close();
      }
    });
  }
  for (const l of Object.keys(LANGS)) {
    await testPage(browser, casePath, l, {
      label: `staff case page with the applicant (${head.login})`, state: sessions.get(head.login), stay: casePath,
    });
  }
}

// The auditor finds the unmasking in the log, from the home of their tools.
async function unmaskAudited(browser) {
  await check('the auditor finds "account.unmask" in the audit log', async () => {
    const ctx = await browser.newContext({ storageState: sessions.get(STAFF.auditor.login) });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', 'en'), { waitUntil: 'load' });
      await follow(page, `main ul.tools a[href="${M}/audit"]`);
      if (!(await page.locator('main').innerText()).includes('account.unmask')) return 'no account.unmask entry';
    } finally {
      await ctx.close();
    }
  });
}

const sessions = new Map();

// The health clerk merges a second waste report into the first: its reporter then sees "merged
// into" the first (not a refusal) and no rating form, the public page says duplicate, and the
// first report's staff page counts its follower (the second's reporter, a neighbour).
async function mergedDuplicate(browser, first, second, resident) {
  const clerk = sessions.get(STAFF.healthClerk.login);
  await check(`${second}: merged into ${first} by the health clerk, from the queue`, async () => {
    if (!first || !second || !clerk) return 'no cases or no session';
    const ctx = await browser.newContext({ storageState: clerk });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', 'en'), { waitUntil: 'load' });
      await follow(page, `main ul.tools a[href="${M}/queue"]`);
      await newestFirst(page);
      await follow(page, `main a[href="${M}/cases/${second}"]`);
      await fillForm(page, `form[action="${M}/cases/${second}/merge"]:has(#into)`, { into: first });
      await submit(page, `form[action="${M}/cases/${second}/merge"]:has(#into)`);
      if (path(page) !== `${M}/cases/${second}`) return `ended at ${page.url()}`;
      await follow(page, `main a[href="${M}/queue"]`);
      await newestFirst(page);
      await follow(page, `main a[href="${M}/cases/${first}"]`);
      const followers = await page.locator('dt:has-text("People following this report") + dd').innerText();
      if (followers.trim() !== '1') return `followers "${followers}", want 1`;
    } finally {
      await ctx.close();
    }
  });
  for (const lang of Object.keys(LANGS)) {
    const mine = `/account/cases/${second}`;
    await testPage(browser, mine, lang, {
      label: 'a merged report, as its reporter sees it', state: resident, stay: mine,
      open: async (page, l) => {
        await page.goto(urlFor('/account', l), { waitUntil: 'load' });
        await follow(page, 'main a[href="/account/cases"]');
        return follow(page, `main a[href="${mine}"]`);
      },
      more: {
        name: '"merged into" the other report, no rating form',
        fn: async (page) => {
          const state = await page.locator('dl.contact dd strong').first().innerText();
          const want = lang === 'ar' ? 'دُمج في البلاغ' : 'Merged into report';
          if (!state.includes(want) || !state.includes(first)) return `state "${state}"`;
          if (await page.locator('form[action$="/rate"]').count()) return 'a rating form';
        },
      },
    });
    const pub = `${M}/reports/${second}`;
    await testPage(browser, pub, lang, {
      label: 'a merged report, publicly', stay: pub, more: {
        name: 'says duplicate, not rejected',
        fn: async (page) => {
          const t = await page.locator('main').innerText();
          if (!t.includes(lang === 'ar' ? 'مكرر لبلاغ آخر' : 'a duplicate of another report')) return 'no "duplicate"';
          if (t.includes(lang === 'ar' ? 'مرفوض' : 'Rejected')) return 'says rejected';
        },
      },
    });
  }
}

// A 1x1 PNG, the file a resident sends with an answer.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const QUESTION = 'أرفق صورة عن آخر إيصال دفع لرسوم النفايات من فضلك';
const OUTBOX_DIR = process.env.OUTBOX_DIR || '';

// The SMS files to the resident's phone that hold `text`.
function smsWith(text) {
  try {
    return readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt'))
      .map((f) => readFileSync(join(OUTBOX_DIR, f), 'utf8'))
      .filter((t) => t.startsWith(`To: +970${RESIDENT.phone.slice(1)}\n`) && t.includes(text));
  } catch {
    return [];
  }
}

// "Ask for more information" end to end: the revenue clerk takes the clearance and asks; the SMS
// carries the question; the resident's answer form sits under the question, refuses an empty
// answer, takes a file; the clerk finds the answer in their messages.
async function askForInformation(browser, tracking, resident) {
  const clerk = sessions.get(STAFF.revenueClerk.login);
  const casePath = `${M}/cases/${tracking}`;
  const mine = `/account/cases/${tracking}`;
  const act = async (page, action, comment) => {
    const form = `form.case-action:has(input[name="action"][value="${action}"])`;
    if (comment) await page.locator(`${form} textarea[name="comment"]`).fill(comment);
    return submit(page, form);
  };
  await check(`${tracking}: the revenue clerk takes the case and asks for more information`, async () => {
    if (!tracking || !clerk) return 'no case or no session';
    const ctx = await browser.newContext({ storageState: clerk });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', 'ar'), { waitUntil: 'load' });
      await follow(page, `main ul.tools a[href="${M}/queue"]`);
      await newestFirst(page);
      await follow(page, `main a[href="${casePath}"]`);
      await submit(page, `form[action="${casePath}/assign"]:not(:has(select))`);
      await act(page, 'start_review');
      await act(page, 'ask_info', QUESTION);
      if (!(await page.locator('ol.history').innerText()).includes(QUESTION)) return 'the question is not in the history';
    } finally {
      await ctx.close();
    }
  });
  await check(`${tracking}: the SMS to the resident carries the question`, async () => {
    for (let i = 0; i < 100 && !smsWith(QUESTION).length; i++) await new Promise((r) => setTimeout(r, 100));
    if (!smsWith(QUESTION).length) return `no SMS to the resident with the question in ${OUTBOX_DIR}`;
  });
  const toCase = async (page, lang) => {
    await page.goto(urlFor('/account', lang), { waitUntil: 'load' });
    await follow(page, 'main a[href="/account/cases"]');
    return follow(page, `main a[href="${mine}"]`);
  };
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, mine, lang, {
      label: 'the question and the answer form under it', state: resident, stay: mine, open: toCase,
      more: {
        name: 'the answer form (required, labelled, with files) is under the question',
        fn: async (page) => {
          const box = page.locator('section:has(#ask-title)');
          if (!(await box.innerText()).includes(QUESTION)) return 'the question is not shown';
          if ((await box.locator('textarea#answer[required]').count()) !== 1) return 'no required answer box under it';
          const label = (await box.locator('label[for="answer"]').innerText()).trim();
          if (label !== (lang === 'ar' ? 'إجابتك' : 'Your answer')) return `label "${label}"`;
          if ((await box.locator('input[type="file"][name="files"]').count()) !== 1) return 'no file upload';
        },
      },
    });
  }
  await testPage(browser, `${mine}/answer`, 'en', {
    label: 'an empty answer refused (422)', state: resident, status: 422, reopen: false, noJs: false,
    open: async (page, lang) => {
      await toCase(page, lang);
      return submit(page, 'form[action$="/answer"]');
    },
    more: { name: 'the error summary links to the answer box', fn: summaryLinks('answer') },
  });
  await check(`${tracking}: the resident answers with a file`, async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const page = await ctx.newPage();
      await toCase(page, 'ar');
      await page.locator('#answer').fill('أرفقت صورة الإيصال');
      await page.locator('#answer-files').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
      await submit(page, 'form[action$="/answer"]');
      if (path(page) !== mine) return `ended at ${page.url()}`;
      if (!(await page.locator(`main a[href^="${mine}/files/"]`).allInnerTexts()).some((t) => t.includes('receipt.png'))) return 'the file is not listed';
      if (await page.locator('#ask-title').count()) return 'the question is still open';
    } finally {
      await ctx.close();
    }
  });
  await check(`${tracking}: the clerk finds the answer in their messages and the file on the case`, async () => {
    const ctx = await browser.newContext({ storageState: clerk });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', 'en'), { waitUntil: 'load' });
      let found = false;
      for (let i = 0; i < 50 && !found; i++) {
        await follow(page, 'main a[href="/account/notifications"]');
        found = (await page.locator('main').innerText()).includes(tracking);
        if (!found) {
          await new Promise((r) => setTimeout(r, 200));
          await page.goto(urlFor('/staff', 'en'), { waitUntil: 'load' });
        }
      }
      if (!found) return 'no message naming the case';
      await page.goto(urlFor(casePath, 'en'), { waitUntil: 'load' });
      if (!(await page.locator('main').innerText()).includes('receipt.png')) return 'the file is not on the staff case page';
    } finally {
      await ctx.close();
    }
  });
}

await spec(async (browser) => {
  for (const role of ROLES) sessions.set(role.who.login, await signInFromHome(browser, role));

  // Each home, in both languages, gets every page check.
  for (const role of ROLES) {
    const state = sessions.get(role.who.login);
    if (!state) continue;
    for (const lang of Object.keys(LANGS)) {
      await testPage(browser, '/staff', lang, {
        label: `/staff (${role.who.login})`, state, stay: '/staff',
      });
    }
  }

  // The account page links back to the home of one's tools; a resident has none.
  await check('the account page of staff links "Your work"; a resident has no /staff', async () => {
    const ctx = await browser.newContext({ storageState: sessions.get(STAFF.clerk.login) });
    try {
      const page = await ctx.newPage();
      await page.goto(urlFor('/staff', 'ar'), { waitUntil: 'load' });
      await follow(page, 'main a[href="/account"]');
      await follow(page, 'main a[href="/staff"]');
      if (path(page) !== '/staff') return `ended at ${page.url()}`;
    } finally {
      await ctx.close();
    }
  });
  const resident = await residentSession(browser);
  await check('a resident signed in has no staff home (404)', async () => {
    const ctx = await browser.newContext({ storageState: resident });
    try {
      const res = await (await ctx.newPage()).goto(ORIGIN + '/staff');
      if (res.status() !== 404) return `status ${res.status()}`;
    } finally {
      await ctx.close();
    }
  });

  // Every department's services reach its own staff.
  const at = (who) => sessions.get(who.login);
  const leak = await apply(browser, resident, 'water-leak-report', 'ar', {
    location: 'شارع عين سارة قرب الدوار', leak_place: 'street', severity: 'burst', supply_cut: 'yes',
    description: 'ماء يتدفق بقوة من الرصيف منذ الصباح',
  });
  await reachesClerk(browser, leak, STAFF.waterClerk, at(STAFF.waterClerk), STAFF.clerk, at(STAFF.clerk), 'ar');
  await headWorksCase(browser, leak, STAFF.waterHead, STAFF.waterClerk, 'hebron.water.', 'ar');
  await unmaskAudited(browser);
  const waste = await apply(browser, resident, 'waste-collection-report', 'en', {
    location: 'Wadi al-Tuffah street, by the school', issues: 'burning',
    description: 'Rubbish is being burnt beside the school',
  });
  await reachesClerk(browser, waste, STAFF.healthClerk, at(STAFF.healthClerk), STAFF.waterClerk, at(STAFF.waterClerk), 'en');
  await headWorksCase(browser, waste, STAFF.healthHead, STAFF.healthClerk, 'hebron.health.', 'en');
  const neighbour = await residentSession(browser, NEIGHBOUR);
  const again = await apply(browser, neighbour, 'waste-collection-report', 'en', {
    location: 'Wadi al-Tuffah street, by the school', issues: 'burning',
    description: 'Smoke again from the rubbish beside the school',
  });
  await mergedDuplicate(browser, waste, again, neighbour);
  const clearance = await apply(browser, resident, 'clearance-certificate', 'ar', {
    purpose: 'bank', delivery: 'counter',
  });
  await reachesClerk(browser, clearance, STAFF.revenueClerk, at(STAFF.revenueClerk), STAFF.healthClerk, at(STAFF.healthClerk), 'ar');
  await askForInformation(browser, clearance, resident);
});
