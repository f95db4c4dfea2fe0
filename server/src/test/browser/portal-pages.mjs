// Walks every dashboard page in headless chromium at 1,366 px and at 390 px wide (issue 17
// item 6), checking that no page scrolls sideways at 390 px and that the navigation stays on
// screen, and does a few of the portal's actions on the way. Started by DashboardBrowserTest,
// which sets up the partner's world through the API first and passes:
//   BASE_URL, API_KEY, OPERATOR_TOKEN, ENDPOINT_ID, EVENT_ID, CHANNEL_ID, RECEIVER_URL,
//   SCREENSHOT_DIR, CHROMIUM
// Screenshots are saved as portal-<width>-<page>.png. Any failed check throws; the process then
// exits non-zero with the reason on stderr.
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
mkdirSync(SHOTS, { recursive: true });

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.error(`ok - ${what}`);
}

const WIDTHS = [1366, 390];
const partnerPages = [
  ['endpoints', '/ui/endpoints'],
  ['endpoint', `/ui/endpoints/${env('ENDPOINT_ID')}`],
  ['events', '/ui/events'],
  ['events-failed', '/ui/events?status=failed'],
  ['event', `/ui/events/${env('EVENT_ID')}`],
  ['catalog', '/ui/catalog'],
  ['audit', '/ui/audit'],
  ['thresholds', '/ui/thresholds'],
  ['workspaces', '/ui/workspaces'],
  ['channels', '/ui/channels'],
  ['channel', `/ui/channels/${env('CHANNEL_ID')}`],
];

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: WIDTHS[0], height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
  const snap = async (width, name) => {
    const file = join(SHOTS, `portal-${width}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.error(`screenshot ${file}`);
  };
  // What a page must satisfy at this width: no sideways scroll, every navigation link on screen,
  // and at the wide size a navigation bar of one line and tables no wider than their box.
  const fits = async (width, name) => {
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      links: [...document.querySelectorAll('header a, header button')].map((a) => a.getBoundingClientRect().right),
      header: document.querySelector('header').getBoundingClientRect().height,
      tables: [...document.querySelectorAll('main table')].map((t) => t.scrollWidth - t.clientWidth),
    }));
    check(m.scroll <= m.inner, `${name} at ${width} px: no sideways scroll (${m.scroll} <= ${m.inner})`);
    check(m.links.every((r) => r <= m.inner), `${name} at ${width} px: every navigation link is on screen`);
    if (width >= 1366) {
      check(m.header < 60, `${name} at ${width} px: the navigation is one line (${m.header} px high)`);
      check(m.tables.every((d) => d <= 0), `${name} at ${width} px: no table needs to scroll`);
    }
  };
  const visit = async (width, name, path) => {
    await page.goto(`${BASE}${path}`);
    check((await page.locator('h1').count()) === 1 && !(await text('h1')).startsWith('Not found'),
      `${name} (${path}) opens`);
    await fits(width, name);
    await snap(width, name);
  };

  // the sign-in form at both widths, then the partner signs in with its key
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width >= 1366 ? 900 : 844 });
    await visit(width, 'sign-in', '/ui/login');
  }
  await page.goto(`${BASE}/ui/login`);
  await page.fill('input[name=key]', env('API_KEY'));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL('**/ui/endpoints');

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width >= 1366 ? 900 : 844 });
    for (const [name, path] of partnerPages) {
      await visit(width, name, path);
    }
  }

  // actions on the phone-sized screen: a threshold with a bad percent, then a good one
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${BASE}/ui/thresholds`);
  await page.selectOption('#new-threshold select[name=quota]', 'transactions');
  await page.fill('#new-threshold input[name=percent]', '150');
  await page.click('#new-threshold button');
  check((await text('#error-percent')).includes('percent must be a whole number from 1 to 100'),
    'a bad percent is named beside its field');
  await fits(390, 'thresholds with an error');
  await snap(390, 'thresholds-error');
  await page.fill('#new-threshold input[name=percent]', '90');
  await page.click('#new-threshold button');
  await page.waitForURL('**/ui/thresholds');
  check((await text('.flash')).includes('transactions at 90 % added'), 'the threshold is added');
  check((await text('#thresholds')).includes('transactions'), 'the list shows it');
  await snap(390, 'thresholds-added');

  // the channel's messaging webhook: set with a bad status order, then set, then removed
  await page.goto(`${BASE}/ui/channels/${env('CHANNEL_ID')}`);
  await page.fill('#set-webhook input[name=url]', 'not a url');
  await page.click('#set-webhook button');
  check((await text('#error-url')).startsWith('url '), 'a bad URL is named beside its field');
  await fits(390, 'channel with an error');
  await snap(390, 'channel-error');
  await page.fill('#set-webhook input[name=url]', env('RECEIVER_URL'));
  await page.fill('#set-webhook textarea[name=headers]', 'X-Tenant: browser');
  await page.selectOption('#set-webhook select[name=status_order]', 'monotonic');
  await page.click('#set-webhook button');
  await page.waitForURL(/\/ui\/channels\//);
  check((await text('.flash')).includes('saved'), 'the webhook is saved');
  check((await text('#webhook')).includes('monotonic'), 'the page shows its status order');
  await fits(390, 'channel with a webhook');
  await snap(390, 'channel-webhook-set');
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.click('button:has-text("Remove the webhook")');
  await page.waitForURL(/\/ui\/channels\//);
  check((await text('.flash')).includes('removed'), 'the webhook is removed');
  await snap(1366, 'channel-webhook-removed');

  // the event log's search, by the event's id
  await page.goto(`${BASE}/ui/events`);
  await page.fill('#search input[name=find]', env('EVENT_ID'));
  await page.click('#search button');
  await page.waitForURL(`**/ui/events/${env('EVENT_ID')}`);
  check(true, 'searching the log by event id opens the event');

  // the operator's partner list, at both widths
  await page.click('button:has-text("Sign out")');
  await page.waitForURL('**/ui/login');
  await page.fill('input[name=key]', env('OPERATOR_TOKEN'));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL('**/ui/partners');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width >= 1366 ? 900 : 844 });
    await visit(width, 'partners', '/ui/partners');
  }
  process.stdout.write('DONE\n');
} finally {
  await browser.close();
}
