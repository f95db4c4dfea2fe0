// Opens the rendered API reference (/docs) in headless chromium and checks that Swagger UI drew
// the whole document under the page's own Content-Security-Policy: no request leaves this server,
// no policy violation is reported, and the operations of the document are on the page.
// Started by ApiDocsBrowserTest with BASE_URL, CHROMIUM, SCREENSHOT_DIR and OPERATIONS (how many
// operations docs/openapi.yaml has). Prints DONE on success; a failed check exits non-zero.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
};
const BASE = env('BASE_URL');
const SHOTS = env('SCREENSHOT_DIR');
const OPERATIONS = Number(env('OPERATIONS'));
mkdirSync(SHOTS, { recursive: true });

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.error(`ok - ${what}`);
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(30000);
  const foreign = [];
  const violations = [];
  const errors = [];
  page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    else if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));

  const answer = await page.goto(`${BASE}/docs`);
  check(answer.status() === 200, '/docs answers 200');
  check((answer.headers()['content-security-policy'] || '').includes("script-src 'self'"), '/docs has its own CSP');
  await page.waitForSelector('.opblock');
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, OPERATIONS);
  const drawn = await page.locator('.opblock').count();
  check(drawn === OPERATIONS, `every operation of the document is drawn (${drawn} of ${OPERATIONS})`);
  const title = (await page.locator('.info .title').first().innerText()).trim();
  check(/Partnerhooks/.test(title), `the document's title is shown (${title})`);
  check(await page.locator('a[href="/openapi.yaml"]').count() >= 1, 'the page links the document');
  check(await page.locator('#operations-Endpoints-createEndpoint, [id$="-createEndpoint"]').count() >= 1,
    'operations are named by their operationId (createEndpoint)');
  await page.screenshot({ path: join(SHOTS, 'api-docs.png'), fullPage: false });
  check(foreign.length === 0, `no request leaves the server (${foreign.join(', ')})`);
  check(violations.length === 0, `no CSP violation (${violations.join(' | ')})`);
  check(errors.length === 0, `no script error (${errors.join(' | ')})`);
  process.stdout.write('DONE\n');
} finally {
  await browser.close();
}
