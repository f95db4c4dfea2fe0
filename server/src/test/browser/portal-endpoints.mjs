// Walks the endpoint management pages (create with every field, edit with a validation error,
// disable, enable, delete after its confirmation page) and the event page of a failing delivery,
// at 1,366 px and at 390 px wide. At 390 px it checks that no page scrolls sideways
// (document.documentElement.scrollWidth <= innerWidth). Screenshots go to SCREENSHOT_DIR as
// portal-NN-<width>-<name>.png. Started by PortalEndpointsBrowserTest, which passes:
//   BASE_URL, API_KEY, RECEIVER_URL, SCREENSHOT_DIR, CHROMIUM
// The receiver answers 500 to everything, so the event page shows a delivery waiting to retry.
// Any failed check throws, and the process exits non-zero with the reason on stderr.
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

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let shot = 0;
try {
  for (const width of [1366, 390]) {
    const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
    // a screenshot of the whole page; at phone width also the check that nothing overflows sideways
    const snap = async (name) => {
      if (width < 500) {
        const [sw, iw, wide] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth,
          // what sticks out, to name in the failure
          [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`)]);
        if (sw > iw) console.error(`too wide on ${name}: ${wide.join(', ')}`);
        check(sw <= iw, `${name} at ${width} px is no wider than the viewport (scrollWidth ${sw}, innerWidth ${iw})`);
      }
      shot += 1;
      const file = join(SHOTS, `portal-${String(shot).padStart(2, '0')}-${width}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.error(`screenshot ${file}`);
    };

    await page.goto(`${BASE}/ui/login`);
    await page.fill('input[name=key]', env('API_KEY'));
    await page.click('button:has-text("Sign in")');
    await page.waitForURL('**/ui/endpoints');

    // create with every field of the shared form
    await page.fill('#create-endpoint input[name=url]', env('RECEIVER_URL'));
    await page.fill('#create-endpoint input[name=description]', `Orders (${width} px)`);
    await page.uncheck('#create-endpoint input[name=event_types][value="*"]');
    await page.check('#create-endpoint input[name=event_types][value="package.*"]');
    await page.check('#create-endpoint input[name=event_types][value="channel.ready"]');
    await page.fill('#create-endpoint textarea[name=headers]', 'X-Team: blue');
    await page.fill('#create-endpoint input[name=rate_limit_per_second]', '5');
    await snap('create-form');
    try {
      await page.click('#create-endpoint button[type=submit]', { timeout: 5000 });
      await page.waitForURL(/\/ui\/endpoints\/ep_\w+$/, { timeout: 5000 }).catch(async (e) => {
        const hit = await page.locator('#create-endpoint button[type=submit]').evaluate((b) => {
          b.scrollIntoView();
          const r = b.getBoundingClientRect();
          const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return `${r.x},${r.y},${r.width}x${r.height} hits ${el && el.outerHTML.slice(0, 80)}`;
        });
        console.error(`click did not submit (${e.message.split('\n')[0]}; ${hit}); pressing Enter in the URL field`);
        await page.press('#create-endpoint input[name=url]', 'Enter');
        await page.waitForURL(/\/ui\/endpoints\/ep_\w+$/, { timeout: 5000 });
      });
    } catch (e) {
      await page.screenshot({ path: join(SHOTS, 'debug-create.png'), fullPage: true });
      const invalid = await page.evaluate(() => [...document.querySelectorAll('#create-endpoint :invalid')].map((el) => el.name + ':' + el.validationMessage));
      throw new Error(`create did not navigate from ${page.url()}: invalid ${invalid}: ${e}`);
    }
    if (!/\/ui\/endpoints\/ep_\w+$/.test(page.url())) {
      throw new Error(`the create form was refused: ${await page.locator('.field-error, .error').allInnerTexts()}`);
    }
    const endpointUrl = page.url();
    check((await text('#settings')).includes('at most 5 per second'), 'the endpoint page shows the rate limit');
    check((await text('#settings')).includes('X-Team'), 'the endpoint page names the custom header');
    await snap('endpoint');

    // edit: a bad value is named beside its field, and what was typed stays
    await page.click('#edit-link');
    await page.waitForURL(/\/edit$/);
    check((await page.locator('#edit-endpoint textarea[name=headers]').inputValue()).includes('X-Team: ********'),
      'the stored header value is masked');
    await page.fill('#edit-endpoint input[name=max_in_flight]', '100000'); // over the server's limit (no max attribute: checked there)
    await page.fill('#edit-endpoint input[name=description]', 'Orders <edited>');
    await page.click('#edit-endpoint button[type=submit]');
    check((await text('#error-max_in_flight')).includes('must be from 1'), 'the error is beside max_in_flight');
    check((await page.locator('#edit-endpoint input[name=description]').inputValue()) === 'Orders <edited>',
      'the typed description is kept');
    await snap('edit-error');
    await page.fill('#edit-endpoint input[name=max_in_flight]', '4');
    await page.selectOption('#edit-endpoint select[name=ordering]', 'ordered');
    await page.click('#edit-endpoint button[type=submit]');
    await page.waitForURL(endpointUrl);
    check((await text('.flash')).includes('saved'), 'the edit is confirmed');
    check((await text('#settings')).includes('at most 4 in flight'), 'the new in-flight limit is shown');
    check((await page.content()).includes('Orders &lt;edited&gt;'), 'the new description is shown escaped');

    // disable, then enable again
    await page.click('#manage button:has-text("Disable")');
    await page.waitForURL(endpointUrl);
    check((await text('#health')).includes('disabled'), 'the endpoint is disabled');
    await snap('disabled');
    await page.click('#manage button:has-text("Enable")');
    await page.waitForURL(endpointUrl);
    check((await text('#health')).includes('active'), 'the endpoint is active again');

    // a test event fails (the receiver answers 500): its page says when the next attempt goes
    await page.selectOption('#send-test select[name=type]', 'channel.ready');
    await page.click('#send-test button');
    await page.waitForURL(/\/ui\/events\/evt_/);
    const deadline = Date.now() + 20000;
    while (!(await page.locator('.timeline td.bad').count())) {
      if (Date.now() > deadline) throw new Error('the failed attempt never showed');
      await page.waitForTimeout(250);
      await page.reload();
    }
    check(/Waiting to retry|Held|Due/.test(await text('.held')), 'the pending delivery says why it waits');
    check(await page.locator('.held time[title]').count() >= 1, 'when it goes has its exact time in title');
    await snap('event-held');

    // delete after the confirmation page
    await page.goto(endpointUrl);
    await page.click('#delete-link');
    await page.waitForURL(/\/delete$/);
    check((await text('#delete-warning')).includes('cannot be undone'), 'the confirmation page warns');
    await snap('delete-confirm');
    await page.click('#delete-endpoint button');
    await page.waitForURL('**/ui/endpoints');
    check((await text('.flash')).includes('deleted'), 'the deletion is confirmed');
    await snap('deleted');
    await context.close();
  }
  process.stdout.write('DONE\n');
} finally {
  await browser.close();
}
