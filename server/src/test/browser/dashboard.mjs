// Walks the dashboard in headless chromium the way a partner would, asserting on what the pages
// show, and saves a screenshot of every page. Started by DashboardBrowserTest, which passes:
//   BASE_URL, API_KEY, OPERATOR_TOKEN, RECEIVER_URL, SCREENSHOT_DIR, CHROMIUM
// It talks to the test over stdout/stdin for one step: it prints "STEP receiver-fail" and waits
// for a line before going on, so the test can make the receiver answer 500 at the right moment.
// Any failed check throws, and the process exits non-zero with the reason on stderr.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
};
const BASE = env('BASE_URL');
const SHOTS = env('SCREENSHOT_DIR');
mkdirSync(SHOTS, { recursive: true });

const stdin = createInterface({ input: process.stdin });
const lines = stdin[Symbol.asyncIterator]();
async function step(name) {
  process.stdout.write(`STEP ${name}\n`);
  const { value, done } = await lines.next();
  if (done || value.trim() !== 'OK') throw new Error(`the test did not confirm step ${name}`);
}

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
let shot = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const snap = async (name) => {
    shot += 1;
    const file = join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.error(`screenshot ${file}`);
  };
  const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
  // The attempt is made in the background: reload the page until it shows up (or time out).
  const reloadUntil = async (selector, pattern, what) => {
    const deadline = Date.now() + 20000;
    for (;;) {
      const found = await page.locator(selector).allInnerTexts();
      if (found.some((t) => pattern.test(t))) return;
      if (Date.now() > deadline) throw new Error(`${what}: page shows ${JSON.stringify(found)}`);
      await page.waitForTimeout(250);
      await page.reload();
    }
  };

  // 1. sign in with the partner's API key
  await page.goto(`${BASE}/ui/`);
  check(page.url().endsWith('/ui/login'), 'an anonymous visit lands on the sign-in form');
  await snap('sign-in');
  await page.fill('input[name=key]', env('API_KEY'));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL('**/ui/endpoints');
  check(!page.url().includes(env('API_KEY')), 'the key is not in the URL');
  check((await text('#endpoints')).includes('No endpoints yet'), 'a new partner has no endpoints');
  await snap('endpoints-empty');

  // 2. create an endpoint pointing at the local receiver
  await page.fill('#create-endpoint input[name=url]', env('RECEIVER_URL'));
  await page.fill('#create-endpoint input[name=description]', 'Browser test <receiver>');
  await page.click('#create-endpoint button');
  await page.waitForURL(/\/ui\/endpoints\/ep_/);
  const endpointUrl = page.url();
  check((await text('.flash')).includes('created'), 'the endpoint page confirms the creation');
  check((await page.content()).includes('Browser test &lt;receiver&gt;'), 'the description is shown escaped');
  await snap('endpoint-created');

  // 3. send a test event and see its attempt appear
  await page.selectOption('#send-test select[name=type]', 'channel.ready');
  await page.click('#send-test button');
  await page.waitForURL(/\/ui\/events\/evt_/);
  check((await page.content()).includes('test event'), 'the event page marks it as a test event');
  await reloadUntil('.attempt h4', /^Attempt 1: HTTP 200/, 'the first test event is delivered');
  const firstEvent = page.url();
  await page.click('.attempt summary');
  check((await page.locator('.attempt pre').first().innerText()).includes('webhook-signature: v1,***'),
    'the attempt shows the request headers with the signature masked');
  check((await page.locator('.attempt pre').nth(1).innerText()).includes('"test":true'),
    'the attempt shows the body that was sent');
  await snap('event-delivered');

  // 4. the receiver fails the next request: a second test event fails ...
  await step('receiver-fail');
  await page.goto(endpointUrl);
  await page.selectOption('#send-test select[name=type]', 'channel.ready');
  await page.click('#send-test button');
  await page.waitForURL(/\/ui\/events\/evt_/);
  check(page.url() !== firstEvent, 'the second test is a new event');
  await reloadUntil('.attempt h4', /^Attempt 1: HTTP 500/, 'the failed attempt is shown');
  check((await text('.delivery .status')) === 'pending', 'the failed delivery waits for a retry');
  await snap('event-failed');

  // 5. ... and a retry from the page makes the second attempt
  await page.click('button:has-text("Retry now")');
  await page.waitForURL(/\/ui\/events\/evt_/);
  check((await text('.flash')).includes('queued for a new attempt'), 'the retry is confirmed');
  await reloadUntil('.attempt h4', /^Attempt 2: HTTP 200/, 'the second attempt is shown');
  const attempts = await page.locator('.attempt h4').allInnerTexts();
  check(attempts.length === 2 && /HTTP 500/.test(attempts[0]), 'both attempts are listed, the failed one first');
  check((await text('.delivery .status')) === 'delivered', 'the delivery is now delivered');
  await snap('event-retried');

  // 6. the endpoint's health and chart, the log, the catalog, the secret
  await page.goto(endpointUrl);
  check((await text('#health')).includes('66.7 %'), 'the endpoint shows 2 of 3 attempts succeeded');
  check(await page.locator('#chart rect').count() === 3, 'the chart has a bar per attempt');
  await snap('endpoint-health');
  await page.goto(`${BASE}/ui/endpoints`);
  check((await text('#endpoints')).includes('active'), 'the endpoint list shows the state');
  await snap('endpoints-list');
  await page.goto(`${BASE}/ui/events?type=channel.*`);
  check(await page.locator('#events tr').count() === 3, 'the filtered log lists both test events');
  await snap('event-log-filtered');
  await page.goto(`${BASE}/ui/events?since=not-a-time`);
  check((await text('.error')).includes('since must be an RFC 3339 time'), 'a bad filter is named');
  await snap('event-log-bad-filter');
  await page.goto(`${BASE}/ui/catalog`);
  await page.click('tr[id="channel.ready"] summary >> nth=1');
  check((await text('tr[id="channel.ready"]')).includes('channel.ready'), 'the catalog lists the type');
  await snap('catalog');
  await page.goto(endpointUrl);
  await page.click('button:has-text("Reveal secret")');
  check((await text('#secret')).startsWith('whsec_'), 'the secret is revealed');
  await snap('secret-revealed');
  await page.goto(endpointUrl);
  await page.click('button:has-text("Rotate secret")');
  check((await page.content()).includes('previous secret keeps signing'), 'rotation keeps the old secret for a while');
  await snap('secret-rotated');
  // the Replay… form: test sends are never replayed, so this one matches nothing, but it is
  // stored, shown with its progress, and audited
  await page.goto(endpointUrl);
  await page.selectOption('#replay select[name=which]', 'all');
  await page.click('#replay button');
  await page.waitForURL(endpointUrl);
  check(/Replay rpl_\w+ started: 0 events/.test(await text('.flash')), 'the replay is confirmed with its count');
  check((await text('#replays')).includes('all'), 'the endpoint page lists the replay');
  await snap('replay-started');

  // 7. the audit log shows the changes made on these pages, newest first, and filters them
  await page.click('header a:has-text("Audit log")');
  await page.waitForURL('**/ui/audit');
  const endpointId = endpointUrl.split('/').pop();
  const audit = await text('#audit');
  check(audit.includes('endpoint.secret_rotate') && audit.includes('delivery.retry') && audit.includes('endpoint.replay'),
    'the audit log lists the rotation, the retry and the replay made from the pages');
  await page.fill('#audit-filters input[name=action]', 'endpoint.create');
  await page.click('#audit-filters button');
  await page.waitForURL(/\/ui\/audit\?action=endpoint\.create/);
  const created = await page.locator('#audit tr').allInnerTexts();
  check(created.length === 2 && created[1].includes('endpoint.create') && created[1].includes(endpointId),
    'the endpoint created on the page is in the audit log');
  check((await page.content()).includes('Browser test &lt;receiver&gt;'), 'the audit states are shown escaped');
  await page.click('#audit summary');
  check((await text('#audit pre >> nth=1')).includes('"secret":"****"'), 'the secret in the state is masked');
  await snap('audit-log');

  // 8. sign out; the operator sees every partner and picks one
  await page.click('button:has-text("Sign out")');
  await page.waitForURL('**/ui/login');
  await page.fill('input[name=key]', env('OPERATOR_TOKEN'));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL('**/ui/partners');
  check((await text('#partners')).includes('browser-partner'), 'the operator sees the partner');
  await snap('operator-partners');
  await page.click('#partners button');
  await page.waitForURL('**/ui/endpoints');
  check((await text('#endpoints')).includes('Browser test'), 'the operator sees that partner\'s endpoints');
  await snap('operator-endpoints');
  await page.goto(`${BASE}/ui/audit?partner_id=`);
  check((await text('#audit')).includes('partner.create'), 'the operator sees every partner\'s audit entries');
  await snap('operator-audit-log');
  process.stdout.write('DONE\n');
} finally {
  await browser.close();
  stdin.close();
}
