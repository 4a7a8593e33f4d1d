// The residents' journeys, walked from the home page by following links as a person does, in
// Arabic and English: counts take the noun form of their number and the page's digits ("يوما
// عمل", "٣٠ يوم عمل"); a number typed in Arabic-Indic digits, a decimal area ("١٨٠٫٥") too, is
// accepted and shown back in the page's digits; a tracking number stays whole inside Arabic text
// (<bdi> on the pages, Unicode isolates in the SMS); radio buttons beside their labels, and a
// question revealed by an answer asked, not refused; "change" returns to "check your answers";
// "save and come back later" confirms and says how long a draft is kept; the catalogue search
// finds a service with the article, a prefix, a hamza misspelling or a synonym, and a search that
// finds nothing suggests the closest services and leads back to the whole list; the municipal
// admin reaches the synonym list from the services admin page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, LANGS, spec, testPage, urlFor } from '../harness.mjs';
import { OUTBOX_DIR, RESIDENT, residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const QUESTION = 'form[action^="/applications/"]';

// Clicks the first link matching `selector` and returns the response of the page it opens.
async function follow(page, selector) {
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  const link = typeof selector === 'string' ? page.locator(selector) : selector;
  await link.first().click();
  return nav;
}

// Home, then the municipality, its services and the service with this code.
async function toService(page, lang, code) {
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'main a[href="/m/hebron"]');
  await follow(page, 'main a[href="/m/hebron/services"]');
  return follow(page, `main a[href$="/services/${code}"]`);
}

// What each service's page says of its time limit (the demo's SLAs: 2, 3, 5 and 30 days).
const SLA = {
  'water-leak-report': { ar: 'يوما عمل', en: '2 working days' },
  'clearance-certificate': { ar: '٣ أيام عمل', en: '3 working days' },
  'trade-licence-renewal': { ar: '٥ أيام عمل', en: '5 working days' },
  'building-permit': { ar: '٣٠ يوم عمل', en: '30 working days' },
};

async function timeLimits(browser) {
  for (const lang of Object.keys(LANGS)) {
    for (const [code, want] of Object.entries(SLA)) {
      await testPage(browser, `/m/hebron/services/${code}`, lang, {
        label: `service page reached from home (${code})`,
        open: (page, l) => toService(page, l, code),
        more: {
          name: `says the time limit as "${want[lang]}"`,
          fn: async (page) => {
            const sla = (await page.locator('main dl.contact dd').nth(1).innerText()).trim();
            if (sla !== want[lang]) return `time limit "${sla}", want "${want[lang]}"`;
          },
        },
      });
    }
  }
}

// A building permit up to "check your answers", from the home page: a new building of three
// floors and `area` m² (typed as given), the plans uploaded.
async function permitStarted(page, lang) {
  await toService(page, lang, 'building-permit');
  return submit(page, 'form[action$="/building-permit/apply"]');
}

// The permit's second page answered for a new building (which reveals the number of floors).
async function permitNewBuilding(page, lang, area) {
  await permitStarted(page, lang);
  await page.locator(`${QUESTION} input[name="applying_as"][value="owner"]`).check();
  await submit(page, QUESTION);
  await fillForm(page, QUESTION, { basin_parcel: 'حوض ٣٤ قطعة ١١٢', building_area: area });
  await page.locator(`${QUESTION} input[name="permit_type"][value="new_building"]`).check();
  await page.locator(`${QUESTION} input[name="building_use"][value="residential"]`).check();
  return submit(page, QUESTION);
}

async function permitUpToCheck(page, lang, area, floors) {
  await permitNewBuilding(page, lang, area);
  if (await page.locator(`${QUESTION} [name="floors"]`).count()) {
    await fillForm(page, QUESTION, { floors });
    await submit(page, QUESTION);
  }
  await page.locator(`${QUESTION} input[type="file"]`).first().setInputFiles({
    name: 'plans.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n'),
  });
  return submit(page, QUESTION);
}

// The answers typed and what "check your answers" must show for them, per page language: the
// Arabic page shows Arabic-Indic digits and the Arabic decimal separator whatever was typed, the
// English page Western digits.
const TYPED = {
  ar: { area: '180.5', floors: '3', shows: ['١٨٠٫٥', '٣'] },
  en: { area: '١٨٠٫٥', floors: '٣', shows: ['180.5', '3'] },
};

// The answer shown beside the question whose label holds `label` (without its "change" link).
async function answerTo(page, label) {
  const dd = page.locator('main dl dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  return (await dd.first().evaluate((e) => e.firstChild?.textContent || '')).trim();
}

async function numbersTyped(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    const t = TYPED[lang];
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers (a decimal area typed in either digits)', state: resident,
      open: (page, l) => permitUpToCheck(page, l, t.area, t.floors), reopen: false,
      more: {
        name: `shows the area as ${t.shows[0]} and the floors as ${t.shows[1]}`,
        fn: async (page) => {
          const at = new URL(page.url()).pathname;
          if (!at.endsWith('/check')) {
            const errors = await page.locator('.error-summary').innerText().catch(() => '');
            return `ended at ${at} ${errors}`;
          }
          const area = await answerTo(page, lang === 'ar' ? 'مساحة البناء' : 'Floor area');
          if (area !== t.shows[0]) return `area shown as "${area}", want "${t.shows[0]}"`;
          const floors = await answerTo(page, lang === 'ar' ? 'عدد الطوابق' : 'Number of floors');
          if (floors !== t.shows[1]) return `floors shown as "${floors}", want "${t.shows[1]}"`;
        },
      },
    });
  }
}

function smsFiles() {
  try {
    return readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.sms.txt'));
  } catch {
    return [];
  }
}

// The SMS to the resident that names `tracking` (the notify worker runs every second).
async function smsAbout(tracking) {
  for (let i = 0; i < 100; i++) {
    for (const f of smsFiles()) {
      const text = readFileSync(join(OUTBOX_DIR, f), 'utf8');
      if (text.includes(tracking)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

// Submitted: the case page's heading keeps the tracking number whole in a <bdi>, the window
// title isolates it, and the SMS that confirms it isolates it with U+2068..U+2069.
async function trackingIsolated(browser, resident) {
  let tracking = '';
  await testPage(browser, '/account/cases/case', 'ar', {
    label: 'submitted building permit (tracking number isolated)', state: resident,
    open: async (page, l) => {
      await permitUpToCheck(page, l, '٢٥٠', '٢');
      await page.locator('#declaration').check();
      return submit(page, 'form[action$="/check"]');
    },
    reopen: false, noJs: false,
    more: {
      name: 'the heading and the title isolate the tracking number',
      fn: async (page) => {
        tracking = new URL(page.url()).pathname.split('/').pop();
        if (!tracking.startsWith('HEB-')) return `ended at ${page.url()}`;
        const inHeading = await page.locator('h1 bdi').innerText().catch(() => '');
        if (inHeading.trim() !== tracking) return `<h1> has no <bdi>${tracking}</bdi> (got "${inHeading}")`;
        const title = await page.title();
        if (!title.includes(`\u2068${tracking}\u2069`)) return `title "${title}" does not isolate ${tracking}`;
      },
    },
  });
  await check('the SMS confirming the application isolates the tracking number', async () => {
    if (!OUTBOX_DIR) return 'OUTBOX_DIR is not set (run.mjs sets it)';
    if (!tracking) return 'no application was submitted';
    const sms = await smsAbout(tracking);
    if (!sms) return `no SMS names ${tracking}`;
    const phone = '+970' + RESIDENT.phone.slice(1);
    if (!sms.startsWith(`To: ${phone}\n`)) return `the SMS naming ${tracking} is not to ${phone}`;
    if (!sms.includes(`\u2068${tracking}\u2069`)) return `the SMS does not isolate ${tracking}:\n${sms}`;
  });
  return tracking;
}

const indic = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d)));

// /track from the services page, typed in Arabic-Indic digits: the status with the expected date
// and the next step; then the same number with another last digit: told to check that digit.
async function trackLookup(browser, tracking) {
  if (!tracking) return;
  const typo = tracking.slice(0, -1) + String((Number(tracking.slice(-1)) + 1) % 10);
  for (const lang of Object.keys(LANGS)) {
    for (const [number, status] of [[tracking, 200], [typo, 422]]) {
      await testPage(browser, '/track', lang, {
        label: `/track from the services page (${status === 200 ? 'Arabic-Indic digits' : 'a check-digit typo'})`,
        reopen: false, status, noJs: false,
        open: async (page, l) => {
          await page.goto(urlFor('/', l), { waitUntil: 'load' });
          await follow(page, 'main a[href="/m/hebron"]');
          await follow(page, 'main a[href="/m/hebron/services"]');
          await follow(page, 'main a[href="/track"]');
          await fillForm(page, 'form[action="/track"]', { tracking: indic(number), phone: indic(RESIDENT.phone) });
          return submit(page, 'form[action="/track"]');
        },
        more: {
          name: status === 200 ? 'shows the expected date and the next step' : 'says to check the last digit',
          fn: async (page) => {
            const text = await page.locator('main').innerText();
            const want = status === 200
              ? (lang === 'ar' ? ['موعد الإنجاز المتوقع', 'الخطوة التالية'] : ['Expected by', 'Next step'])
              : (lang === 'ar' ? ['تأكد من خانته الأخيرة'] : ['check its last digit']);
            for (const w of want) if (!text.includes(w)) return `the page does not say "${w}"`;
          },
        },
      });
    }
  }
}

// Forms: each radio button sits beside its label; a question an answer reveals (the number of
// floors, once the permit is for a new building) is asked with a notice, not refused as missing.
async function forms(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/applications/page/1', lang, {
      label: 'first question page (radio buttons)', state: resident, open: permitStarted, reopen: false,
      more: {
        name: 'each radio button sits on the line of its label',
        fn: async (page) => {
          const boxes = await page.evaluate(() => [...document.querySelectorAll('main .choice')].map((c) => {
            const i = c.querySelector('input').getBoundingClientRect();
            const l = c.querySelector('label').getBoundingClientRect();
            return { i: [i.top, i.bottom], l: [l.top, l.bottom], text: c.textContent.trim() };
          }));
          if (!boxes.length) return 'no radio buttons on the page';
          for (const b of boxes) {
            if (b.i[1] <= b.l[0] || b.l[1] <= b.i[0]) return `"${b.text}": the label is not beside its radio button`;
          }
        },
      },
    });
    await testPage(browser, '/applications/page/2', lang, {
      label: 'a question revealed by an answer', state: resident,
      open: (page, l) => permitNewBuilding(page, l, '٢٠٠'), reopen: false,
      more: {
        name: 'asks the number of floors with a notice, not as an error',
        fn: async (page) => {
          if (!(await page.locator(`${QUESTION} [name="floors"]`).count())) return 'no floors question';
          if (await page.locator('.error-summary').count()) return 'the page has an error summary';
          if ((await page.locator('#floors').getAttribute('aria-invalid')) === 'true') return '#floors is marked invalid';
          const notice = await page.locator('main .notice[role="status"]').innerText().catch(() => '');
          const label = lang === 'ar' ? 'عدد الطوابق' : 'Number of floors';
          if (!notice.includes(label)) return `no notice naming "${label}" (got "${notice}")`;
        },
      },
    });
  }
}

// "Change" on "check your answers" leads back there once the answer is saved.
async function changeFromCheck(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    const label = lang === 'ar' ? 'مساحة البناء' : 'Floor area';
    await testPage(browser, '/applications/check', lang, {
      label: 'check your answers after changing an answer', state: resident, reopen: false,
      open: async (page, l) => {
        await permitUpToCheck(page, l, '180', '3');
        const row = page.locator('main dl dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
        await follow(page, row.locator('a').first());
        await fillForm(page, QUESTION, { building_area: '٣٠٠' });
        return submit(page, QUESTION);
      },
      more: {
        name: 'is back on "check your answers" with the new area',
        fn: async (page) => {
          const at = new URL(page.url()).pathname;
          if (!at.endsWith('/check')) return `ended at ${at}, want "check your answers"`;
          const want = lang === 'ar' ? '٣٠٠' : '300';
          const area = await answerTo(page, label);
          if (area !== want) return `area shown as "${area}", want "${want}"`;
        },
      },
    });
  }
}

// "Save and come back later" confirms what was saved and says how long an unfinished
// application is kept (the demo keeps drafts 30 days).
async function saveForLater(browser, resident) {
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/account/cases', lang, {
      label: 'my applications after "save and come back later"', state: resident, reopen: false,
      open: async (page, l) => {
        await permitStarted(page, l);
        await page.locator(`${QUESTION} input[name="applying_as"][value="owner"]`).check();
        const nav = page.waitForNavigation({ waitUntil: 'load' });
        await page.locator(`${QUESTION} button[value="save"]`).click();
        return nav;
      },
      more: {
        name: 'confirms the save and says how long the draft is kept',
        fn: async (page) => {
          const notice = await page.locator('main .notice[role="status"]').innerText().catch(() => '');
          const want = lang === 'ar' ? ['رخصة بناء', '٣٠ يومًا'] : ['Building permit', '30 days'];
          for (const w of want) if (!notice.includes(w)) return `the notice "${notice}" does not say "${w}"`;
        },
      },
    });
  }
}

// The municipality's services page from the home page, then a search typed into its box.
async function searched(page, lang, q) {
  await page.goto(urlFor('/', lang), { waitUntil: 'load' });
  await follow(page, 'main a[href="/m/hebron"]');
  await follow(page, 'main a[href="/m/hebron/services"]');
  await page.locator('main form[role="search"] input[name="q"]').fill(q);
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.locator('main form[role="search"] button[type="submit"]').click();
  return nav;
}

// What each search must find (the service codes), in either language's page.
const FINDS = [
  ['براءة الذمة', 'clearance-certificate'],
  ['برائة ذمة', 'clearance-certificate'],
  ['للذمة', 'clearance-certificate'],
  ['ماء', 'water-connection'],
  ['تسريب مياه', 'water-leak-report'],
];

async function catalogueSearch(browser) {
  for (const lang of Object.keys(LANGS)) {
    for (const [q, code] of FINDS) {
      await testPage(browser, '/m/hebron/services', lang, {
        label: `search "${q}" from the services page`, reopen: false,
        open: (page, l) => searched(page, l, q),
        more: {
          name: `finds ${code}`,
          fn: async (page) => {
            const hits = await page.locator(`main ul.services a[href="/m/hebron/services/${code}"]`).count();
            if (!hits) return `"${q}" did not find ${code}`;
          },
        },
      });
    }
    await testPage(browser, '/m/hebron/services', lang, {
      label: 'a search that finds nothing', reopen: false,
      open: (page, l) => searched(page, l, lang === 'ar' ? 'براءت ذمم' : 'clearence'),
      more: {
        name: 'suggests the closest service and leads to the whole list',
        fn: async (page) => {
          const want = lang === 'ar' ? 'هل تقصد' : 'Did you mean';
          const text = await page.locator('main').innerText();
          if (!text.includes(want)) return `no "${want}" on the page`;
          const sugg = page.locator('main ul.services a[href="/m/hebron/services/clearance-certificate"]');
          if (!(await sugg.count())) return 'the clearance certificate is not suggested';
          await follow(page, 'main a[href="/m/hebron/services"]');
          const all = await page.locator('main ul.services li').count();
          if (all < 10) return `the whole list shows ${all} services`;
        },
      },
    });
  }
}

// The municipal admin reaches the synonyms from the services admin page, in both languages.
async function synonymsAdmin(browser) {
  if (!STAFF.admin.password) return;
  const admin = await staffSignedIn(browser, STAFF.admin);
  if (!admin) return;
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/admin/search-synonyms', lang, {
      label: 'search synonyms reached from the services admin page', state: admin,
      stay: '/m/hebron/admin/search-synonyms',
      open: async (page, l) => {
        await page.goto(urlFor('/m/hebron/admin/services', l), { waitUntil: 'load' });
        return follow(page, 'main a[href="/m/hebron/admin/search-synonyms"]');
      },
      more: {
        name: 'shows the demo synonyms in the text area',
        fn: async (page) => {
          const v = await page.locator('#synonyms').inputValue();
          if (!v.includes('ماء: مياه') || !v.includes('\n')) return `the list reads "${v}"`;
        },
      },
    });
  }
}

await spec(async (browser) => {
  await timeLimits(browser);
  await catalogueSearch(browser);
  await synonymsAdmin(browser);
  const resident = await residentSession(browser);
  if (!resident) return;
  await numbersTyped(browser, resident);
  await forms(browser, resident);
  await changeFromCheck(browser, resident);
  await saveForLater(browser, resident);
  const tracking = await trackingIsolated(browser, resident);
  await trackLookup(browser, tracking);
});
