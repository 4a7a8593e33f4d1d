// The service editor (the editor module): the admin's list of services, the editor's pages, and
// one refused edit (a question named like another: 422, the summary links to the name input,
// which is marked invalid). Nothing here changes a service.
import { LANGS, spec, summaryLinks, testPage, urlFor } from '../harness.mjs';
import { STAFF, staffSignedIn } from '../people.mjs';
import { fillForm, submit } from '../signin.mjs';

const EDITOR = '/m/hebron/admin/services/clearance-certificate';
const ADD_FIELD = `${EDITOR}/form/pages/1/fields/new`;

async function refusedField(page, lang) {
  await page.goto(urlFor(ADD_FIELD, lang), { waitUntil: 'load' });
  const form = `form[action="${ADD_FIELD}"]`;
  await fillForm(page, form, { name: 'purpose', label_ar: 'الغرض', label_en: 'Purpose' });
  return submit(page, form);
}

await spec(async (browser) => {
  const admin = await staffSignedIn(browser, STAFF.admin);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/admin/services', lang, {
      label: `/m/hebron/admin/services (${STAFF.admin.login})`, state: admin,
      stay: '/m/hebron/admin/services',
    });
  }
  for (const lang of Object.keys(LANGS)) {
    for (const path of [EDITOR, `${EDITOR}/form`, `${EDITOR}/form/fields/purpose`, `${EDITOR}/workflow`,
      `${EDITOR}/notifications`, `${EDITOR}/document`]) {
      await testPage(browser, path, lang, { label: `${path} (${STAFF.admin.login})`, state: admin, stay: path });
    }
    await testPage(browser, ADD_FIELD, lang, {
      label: `${ADD_FIELD} refused (422)`, state: admin, status: 422, stay: ADD_FIELD,
      open: refusedField, reopen: false, more: { name: 'error summary links the refused input', fn: summaryLinks('name') },
    });
  }
});
