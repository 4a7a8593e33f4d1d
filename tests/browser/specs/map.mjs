// The optional map on the location question (web/static/map.js), in Chromium. run.mjs serves
// tiles from tests/browser/tile_server.py on loopback and starts the server with map-tiles-url
// pointing at it; MAP_TILES_ORIGIN names that origin here. With JavaScript the
// map appears beside the field, a click writes "lat,lng" (6 decimals), typed coordinates move the
// marker, the keyboard never enters the map, the page is axe-clean with the map in both
// languages and the CSP refuses nothing; without JavaScript there is no map and filing works.
// Without MAP_TILES_ORIGIN (a server with no tile server) the page must have no map at all.
import { AXE_TAGS, axe, check, LANGS, ORIGIN, spec, TILES, urlFor } from '../harness.mjs';
import { RESIDENT, residentSession, STAFF, staffSignedIn } from '../people.mjs';
import { startReport } from '../reports.mjs';
import { fillForm, submit } from '../signin.mjs';

const COORDS = /^-?[0-9]{1,2}\.[0-9]{6},-?[0-9]{1,3}\.[0-9]{6}$/;
const HEBRON = { lat: 31.5326, lng: 35.0998 };  // where the demo's map opens (map-centres)
const FORM = 'form[action^="/applications/"]';
const MAP = '.map-picker .leaflet-container';

// Opens a context whose requests to anything but the site and the tile server are collected.
async function open(browser, origin, state, js) {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 800 }, storageState: state || undefined, javaScriptEnabled: js,
  });
  const page = await ctx.newPage();
  const stray = [];
  const refused = [];
  page.on('request', (r) => {
    const o = new URL(r.url()).origin;
    if (!/^(data|blob|about):/.test(r.url()) && o !== origin && o !== TILES) stray.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  page.on('pageerror', (e) => refused.push(`script error: ${e.message}`));
  return { ctx, page, stray, refused };
}

// The point a click at (dx, dy) pixels from the map's centre lands on, as the field shows it.
async function clickMap(page, dx, dy) {
  const box = await page.locator(MAP).boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  return page.inputValue('#location');
}

async function withJs(browser, o, lang) {
  const name = `map on the location question [${lang}]`;
  const { ctx, page, stray, refused } = await open(browser, o.origin, o.state, true);
  try {
    const shown = await check(`${name}: the map appears beside the field, with tiles`, async () => {
      await o.startReport(page, lang);
      await page.locator(MAP).waitFor({ state: 'visible', timeout: 10000 });
      await page.locator(`${MAP} img.leaflet-tile-loaded`).first().waitFor({ timeout: 10000 });
      const f = await page.evaluate(() => {
        const picker = document.querySelector('.map-picker');
        const input = document.querySelector('#location');
        return {
          after: picker.previousElementSibling === input,
          hidden: picker.getAttribute('aria-hidden'),
          hint: picker.querySelector('.hint')?.textContent.trim() || '',
          credit: picker.querySelector('.map-credit')?.textContent.trim() || '',
          label: document.querySelector('label[for="location"]')?.textContent.trim() || '',
          tiles: [...picker.querySelectorAll('img.leaflet-tile')].map((i) => i.src),
        };
      });
      const bad = [];
      if (!f.after) bad.push('the map is not right after the #location field');
      if (f.hidden !== 'true') bad.push(`the map's aria-hidden is "${f.hidden}", want "true"`);
      if (!f.hint) bad.push('no visible hint');
      if (!f.credit) bad.push('no attribution under the map');
      if (!f.label) bad.push('the field lost its label');
      if (!f.tiles.length || f.tiles.some((s) => !s.startsWith(TILES + '/'))) {
        bad.push(`tiles not from ${TILES}: ${f.tiles.slice(0, 3).join(' ')}`);
      }
      return bad.join('\n');
    });
    if (!shown) return;

    await check(`${name}: a click writes "lat,lng" with 6 decimals where it landed`, async () => {
      const value = await clickMap(page, 120, 60);  // east and south of the centre
      if (!COORDS.test(value)) return `the field holds "${value}"`;
      const [lat, lng] = value.split(',').map(Number);
      if (!(lat < HEBRON.lat && lat > HEBRON.lat - 0.02)) return `latitude ${lat}: want a little south of ${HEBRON.lat}`;
      if (!(lng > HEBRON.lng && lng < HEBRON.lng + 0.02)) return `longitude ${lng}: want a little east of ${HEBRON.lng}`;
      if ((await page.locator(`${MAP} .leaflet-marker-icon`).count()) !== 1) return 'no marker (or several)';
    });

    await check(`${name}: coordinates typed into the field move the marker`, async () => {
      await page.fill('#location', '31.530000,35.095000');
      // Wait for the pan animation to bring the marker's tip to the centre (measured below).
      await page.waitForFunction((sel) => {
        const map = document.querySelector(sel).getBoundingClientRect();
        const m = document.querySelector(`${sel} .leaflet-marker-icon`)?.getBoundingClientRect();
        return m && Math.abs(m.x + 12 - (map.x + map.width / 2)) <= 6 &&
          Math.abs(m.y + m.height - (map.y + map.height / 2)) <= 6;
      }, MAP, { timeout: 5000 }).catch(() => {});
      const map = await page.locator(MAP).boundingBox();
      const m = await page.locator(`${MAP} .leaflet-marker-icon`).boundingBox();
      // The icon's tip (12 px in, at its bottom) is the point; panTo puts it at the centre.
      const dx = m.x + 12 - (map.x + map.width / 2);
      const dy = m.y + m.height - (map.y + map.height / 2);
      if (Math.abs(dx) > 6 || Math.abs(dy) > 6) return `the marker is ${dx},${dy} px from the centre`;
    });

    await check(`${name}: Tab from the field skips the map, Shift+Tab comes back`, async () => {
      await page.focus('#location');
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => {
        const el = document.activeElement;
        return { inMap: !!el.closest('.map-picker'), name: el.getAttribute('name') || el.tagName };
      });
      if (next.inMap) return 'focus went into the map';
      await page.keyboard.press('Shift+Tab');
      const back = await page.evaluate(() => document.activeElement.id);
      if (back !== 'location') return `Shift+Tab from ${next.name} reached #${back}, want #location`;
      const focusable = await page.evaluate(() =>
        [...document.querySelectorAll('.map-picker *')].filter((e) => e.tabIndex >= 0).length);
      if (focusable) return `${focusable} element(s) in the map are in the tab order`;
    });

    await check(`${name}: axe WCAG 2.1 A/AA with the map and a marker`, async () => {
      const r = await axe(page, o.axeTags).analyze();
      if (r.violations.length) {
        return r.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('\n');
      }
    });

    await check(`${name}: filing with the coordinates a click wrote works`, async () => {
      const value = await clickMap(page, -80, -40);
      await page.locator(`${FORM} input[name="problem"][value="not_working"]`).check();
      await fillForm(page, FORM, { description: 'العمود مطفأ منذ ثلاث ليالٍ' });
      await submit(page, FORM);
      if (!new URL(page.url()).pathname.endsWith('/check')) return `ended at ${page.url()}, want .../check`;
      if (!(await page.content()).includes(value)) return `the check page does not show ${value}`;
    });

    // The reusable map of points, on a fresh question page (map.js is loaded again after the
    // element is added: it enhances only what it has not seen).
    await check(`${name}: data-map-points shows the points (labels as text, links on this site only)`, async () => {
      await o.startReport(page, lang);
      await page.locator(MAP).waitFor({ state: 'visible', timeout: 10000 });
      const src = await page.getAttribute('#map-script', 'src');
      await page.evaluate((script) => {
        const box = document.createElement('div');
        box.id = 'points-test';
        box.setAttribute('data-map-points', JSON.stringify([
          { lat: 31.5326, lng: 35.0998, label: '<b id="injected">Report 1</b>', href: '/m/hebron' },
          { lat: 31.54, lng: 35.11, label: 'Report 2', href: '//elsewhere.example/' },
          { lat: 'x', lng: 1, label: 'not a point' },
        ]));
        document.querySelector('main').appendChild(box);
        const s = document.createElement('script');
        s.src = script;
        document.body.appendChild(s);
      }, src);
      const markers = page.locator('#points-test .leaflet-marker-icon');
      await page.locator('#points-test.leaflet-container').waitFor({ state: 'visible', timeout: 10000 });
      const f = await page.evaluate(() => ({
        markers: document.querySelectorAll('#points-test .leaflet-marker-icon').length,
        pickers: document.querySelectorAll('.map-picker').length,
        hidden: document.querySelector('#points-test').getAttribute('aria-hidden'),
      }));
      if (f.markers !== 2) return `${f.markers} markers, want 2 (the bad point left out)`;
      if (f.pickers !== 1) return `${f.pickers} maps beside the field after loading map.js again, want 1`;
      if (f.hidden !== 'true') return `aria-hidden="${f.hidden}" on the map of points`;
      await markers.nth(0).hover();
      const tip = page.locator('.leaflet-tooltip');
      await tip.waitFor({ state: 'visible', timeout: 5000 });
      if ((await tip.textContent()) !== '<b id="injected">Report 1</b>') return `tooltip "${await tip.textContent()}"`;
      if (await page.locator('#injected').count()) return 'the label was parsed as HTML';
      const before = page.url();
      await markers.nth(1).click();
      await page.waitForTimeout(500);
      if (page.url() !== before) return `a link to another origin was followed: ${page.url()}`;
      await Promise.all([page.waitForURL((u) => u.pathname === '/m/hebron'), markers.nth(0).click()]);
    });

    await check(`${name}: the CSP refused nothing, no script errors, no other origins`, () =>
      [...refused, ...stray.map((u) => `request to ${u}`)].join('\n'));
  } finally {
    await ctx.close();
  }
}

async function withoutJs(browser, o, lang) {
  const name = `location question without JavaScript [${lang}]`;
  const { ctx, page } = await open(browser, o.origin, o.state, false);
  try {
    await check(`${name}: no map; the text field files the report`, async () => {
      await o.startReport(page, lang);
      if (await page.locator('.map-picker, .leaflet-container').count()) return 'a map without JavaScript';
      await fillForm(page, FORM, { location: 'قرب دوار ابن رشد', description: 'العمود مطفأ' });
      await page.locator(`${FORM} input[name="problem"][value="not_working"]`).check();
      await submit(page, FORM);
      if (!new URL(page.url()).pathname.endsWith('/check')) return `ended at ${page.url()}, want .../check`;
    });
  } finally {
    await ctx.close();
  }
}

// The counter files for a resident through the same question pages: the map is there too.
// o: { origin, state (the counter clerk's), resident (a national ID), urlFor, langs }
async function counterMapChecks(browser, o) {
  if (!TILES) return;
  for (const lang of o.langs) {
    await check(`map on the counter's location question [${lang}]`, async () => {
      const { ctx, page, refused, stray } = await open(browser, o.origin, o.state, true);
      try {
        await page.goto(o.urlFor('/m/hebron/counter', lang), { waitUntil: 'load' });
        const form = 'form[action="/m/hebron/counter"]';
        await fillForm(page, form, { resident: o.resident });
        await page.selectOption(`${form} select[name="service"]`, 'street-light-report');
        await submit(page, form);
        if (!/^\/applications\/[0-9]+\/page\/1$/.test(new URL(page.url()).pathname)) {
          return `ended at ${page.url()}, want the first question page`;
        }
        await page.locator(MAP).waitFor({ state: 'visible', timeout: 10000 });
        const value = await clickMap(page, -60, 30);
        if (!COORDS.test(value)) return `the field holds "${value}"`;
        return [...refused, ...stray.map((u) => `request to ${u}`)].join('\n');
      } finally {
        await ctx.close();
      }
    });
  }
}

// o: { origin, state (a resident's), startReport(page, lang), langs, axeTags }
async function mapChecks(browser, o) {
  if (!TILES) {
    for (const lang of o.langs) {
      await check(`no tile server: the location question has no map [${lang}]`, async () => {
        const { ctx, page } = await open(browser, o.origin, o.state, true);
        try {
          await o.startReport(page, lang);
          if (await page.locator('#map-script, .map-picker, [data-map-pick]').count()) return 'map found';
        } finally {
          await ctx.close();
        }
      });
    }
    return;
  }
  for (const lang of o.langs) {
    await withJs(browser, o, lang);
    await withoutJs(browser, o, lang);
  }
}

await spec(async (browser) => {
  const langs = Object.keys(LANGS);
  const resident = await residentSession(browser);
  await mapChecks(browser, { origin: ORIGIN, state: resident, startReport, langs, axeTags: AXE_TAGS });
  const counter = await staffSignedIn(browser, STAFF.counter);
  await counterMapChecks(browser, {
    origin: ORIGIN, state: counter, resident: RESIDENT.national_id, urlFor, langs,
  });
});
