// Signing in through the real pages, as a person would: fill the form, press the button, let the
// browser follow the redirects with its cookies and the form's hidden csrf input.
import { createHmac } from 'node:crypto';

// submit presses the (first) submit button of the form matched by `form` (a CSS selector) and waits for
// the page that comes back; it returns the response of the document finally shown (after any
// redirects), so callers can check its status.
export async function submit(page, form) {
  let last = null;
  const onResponse = (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) last = r;
  };
  page.on('response', onResponse);
  try {
    const nav = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
    await page.locator(`${form} button[type="submit"]`).first().click();
    await nav;
    await page.waitForLoadState('load');
  } finally {
    page.off('response', onResponse);
  }
  return last;
}

// fillForm types each value into the field with that name (an empty string clears it).
export async function fillForm(page, form, values) {
  for (const [name, value] of Object.entries(values)) {
    await page.locator(`${form} [name="${name}"]`).fill(value);
  }
}

// totp is the RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) for a base64url-encoded secret.
export function totp(secretB64url, nowMs = Date.now()) {
  const key = Buffer.from(secretB64url, 'base64url');
  if (key.length !== 20) throw new Error(`TOTP secret is ${key.length} bytes, want 20`);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const path = (page) => new URL(page.url()).pathname;

// register signs a new resident up at /register; the server should answer with /account.
export async function register(page, url, fields) {
  await page.goto(url, { waitUntil: 'load' });
  await fillForm(page, 'form[action="/register"]', fields);
  const res = await submit(page, 'form[action="/register"]');
  if (path(page) !== '/account') {
    throw new Error(`after registering: ${res ? res.status() : '?'} at ${page.url()}, want /account`);
  }
  return res;
}

// staffSignIn logs a member of staff in at /login, enrols an authenticator at /account/totp with
// the secret the page offers, and returns the response of the recovery-codes page that follows
// (the session is then elevated).
export async function staffSignIn(page, url, login, password) {
  if (!password) throw new Error(`no password for ${login} (see scripts/test.sh)`);
  await page.goto(url, { waitUntil: 'load' });
  await fillForm(page, 'form[action="/login"]', { login, password });
  const res = await submit(page, 'form[action="/login"]');
  if (path(page) !== '/account/totp') {
    throw new Error(`after login: ${res ? res.status() : '?'} at ${page.url()}, want /account/totp`);
  }
  const form = 'form[action="/account/totp"]';
  const secret = await page.locator(`${form} input[name="secret"]`).inputValue();
  await fillForm(page, form, { code: totp(secret) });
  const done = await submit(page, form);
  const codes = await page.locator('ul.codes li').count();
  if (!done || done.status() !== 200 || codes === 0) {
    throw new Error(`after enrolment: ${done ? done.status() : '?'} at ${page.url()}, ` +
      `${codes} recovery codes`);
  }
  return done;
}
