// Audit: the auditor's page of the audit log.
import { LANGS, spec, testPage } from '../harness.mjs';
import { STAFF, staffSignedIn } from '../people.mjs';

await spec(async (browser) => {
  const auditor = await staffSignedIn(browser, STAFF.auditor);
  for (const lang of Object.keys(LANGS)) {
    await testPage(browser, '/m/hebron/audit', lang, {
      label: `/m/hebron/audit (${STAFF.auditor.login})`, state: auditor, stay: '/m/hebron/audit',
    });
  }
});
