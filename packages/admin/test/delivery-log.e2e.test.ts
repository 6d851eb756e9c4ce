/**
 * The delivery log end to end, in headless Chromium, against the built API and two real SMTP servers on
 * loopback: a message with a script and a remote image is opened in its detail (headers shown, the script
 * never runs, the image is never fetched), resent to another address while the primary is down (the second
 * server receives it, and the copy links back), the date range narrows the log, the alert the outage
 * raised reads in Turkish, the retention setting survives a reload, and the log is a card list on a phone
 * with no page wider than the screen.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, watchConsole } from './support/browser';
import { graphqlDataInPage, screenshot, signIn, textOf, waitUntil } from './support/page';

jest.setTimeout(180_000);

const SUBJECT = 'Order 2002 confirmed';
const OTHER_ADDRESS = 'someone-else@example.org';

let primary: SmtpTestServer;
let fallback: SmtpTestServer;
let api: RunningApi;
let tracker: Server;
/** Every path the tracker (a stand-in for a remote image host) was asked for. */
const trackerHits: string[] = [];
let trackerUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[];
let deliveryId = '';
let resentId = '';

const shot = (name: string) => screenshot(page, `log-${name}`);
const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) =>
  waitUntil(page, read, check, what);
const graphql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlDataInPage<T>(page, query, variables);

async function addRelay(name: string, port: number, serviceType: 'PRIMARY' | 'FALLBACK'): Promise<void> {
  await graphql('mutation ($input: ProviderInput!) { createProvider(input: $input) { id status } }', {
    input: {
      type: 'SMTP',
      name,
      host: '127.0.0.1',
      port,
      username: '',
      encryption: 'NONE',
      fromEmail: 'noreply@example.com',
      fromName: 'Example Shop',
      serviceType,
      status: 'ACTIVE',
    },
  });
}

/** Widths the panel is checked at; none may scroll sideways. */
const WIDTHS = [360, 390, 768, 1024];

/** The page's width, and the elements that reach past the right edge when it is too wide (for the message). */
async function sideways(): Promise<{ fits: boolean; wider: string[] }> {
  return page.evaluate(() => {
    const fits = document.documentElement.scrollWidth <= window.innerWidth;
    const wider = fits
      ? []
      : [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8)
          .map(
            (element) =>
              `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().right)}px`,
          );
    return { fits, wider };
  });
}

/**
 * Waits for the page to fit the window (the chart redraws its canvas for a new width a moment after the
 * window changes); fails naming what stays wider.
 */
const fitsWindow = (what: string) => until(sideways, (seen) => seen.fits, `${what} to fit the window`);

async function expectNoSidewaysScroll(what: string, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await fitsWindow(`${what} at ${width} px`);
    await shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  tracker = createServer((request, response) => {
    trackerHits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/gif', 'access-control-allow-origin': '*' });
    response.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
  });
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;
  [primary, fallback] = await Promise.all([startSmtpTestServer(), startSmtpTestServer()]);
  api = await startApi();
  browser = await launchChromium();
  context = await browser.newContext({
    baseURL: api.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
  });
  page = await context.newPage();
  consoleErrors = watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await Promise.all([primary?.close(), fallback?.close()]);
  await new Promise((resolve) => tracker?.close(resolve));
});

afterEach(() => {
  // The only thing the console may report is the preview refusing what the message asked for.
  const refusedByPreview = /Content Security Policy|frame is sandboxed|document is sandboxed/;
  expect(consoleErrors.filter((line) => !refusedByPreview.test(line))).toEqual([]);
});

describe('the delivery log in a real browser', () => {
  it('signs in and sends a message with a script and a remote image through the primary', async () => {
    await page.goto('/login');
    await signIn(page, api.adminEmail, api.adminPassword);
    await page.waitForURL(/\/security\/mail-providers$/);
    await addRelay('primary-relay', primary.port, 'PRIMARY');
    await addRelay('fallback-relay', fallback.port, 'FALLBACK');

    const html = [
      '<!DOCTYPE html><html><head><title>Order</title>',
      `<meta http-equiv="refresh" content="0; url=${trackerUrl}/refresh">`,
      `<link rel="stylesheet" href="${trackerUrl}/style.css">`,
      '</head><body>',
      '<h1 id="greeting">Thanks for your order</h1>',
      `<img src="${trackerUrl}/pixel.gif" alt="">`,
      `<script>document.getElementById('greeting').textContent = 'SCRIPT RAN'; new Image().src = '${trackerUrl}/script';</script>`,
      `<div style="background: url(${trackerUrl}/background.png)">Order 2002</div>`,
      '</body></html>',
    ].join('');
    const sent = await graphql<{ sendEmail: { id: string } }>(
      'mutation ($input: EmailInput!) { sendEmail(input: $input) { id } }',
      {
        input: {
          to: ['customer@example.com'],
          subject: SUBJECT,
          text: 'Thanks for your order.\nIt ships tomorrow.',
          html,
        },
      },
    );
    deliveryId = sent.sendEmail.id;
    const [received] = await primary.waitForMessages(1, 60_000);
    expect(received?.rcptTo).toEqual(['customer@example.com']);
  });

  it('opens the detail: headers, the text, and the HTML with no script run and nothing fetched', async () => {
    await page.getByRole('link', { name: 'Delivery log' }).click();
    const row = page.locator(`tr[data-delivery-id="${deliveryId}"]`);
    await row.locator('[data-testid="delivery-status"]', { hasText: 'Sent' }).waitFor({ timeout: 60_000 });
    await row.getByRole('link', { name: SUBJECT }).click();
    await page.waitForURL(new RegExp(`/deliveries/${deliveryId}$`));
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();

    const headers = page.locator('[data-testid="headers"]');
    await headers.waitFor();
    const headerRows = await headers.locator('tbody tr').allTextContents();
    expect(headerRows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^From.*noreply@example\.com/),
        'Tocustomer@example.com',
        `Subject${SUBJECT}`,
        expect.stringMatching(/^Message-ID</),
      ]),
    );
    expect(await textOf(page.locator('[data-testid="body-text"]'))()).toBe(
      'Thanks for your order.\nIt ships tomorrow.',
    );

    const frame = page.locator('iframe[data-testid="body-html"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('title')).toBe(`HTML version of “${SUBJECT}”`);
    const body = page.frameLocator('iframe[data-testid="body-html"]').locator('#greeting');
    expect(await body.textContent()).toBe('Thanks for your order');
    await page.waitForTimeout(1_500);
    expect(await body.textContent()).toBe('Thanks for your order');
    expect(trackerHits).toEqual([]);
    await frame.scrollIntoViewIfNeeded();
    await shot('01-detail');
  });

  it('keeps the preview closed on its own, outside the panel and its policy', async () => {
    // The panel's own Content-Security-Policy would stop remote loads too; on a blank page only the
    // iframe's sandbox and the policy the preview writes into the message remain.
    const srcdoc = await page.locator('iframe[data-testid="body-html"]').getAttribute('srcdoc');
    const blank = await context.newPage();
    try {
      await blank.setContent('<p>blank</p>');
      await blank.evaluate((document) => {
        const frame = window.document.createElement('iframe');
        frame.setAttribute('sandbox', '');
        frame.srcdoc = document;
        window.document.body.append(frame);
      }, srcdoc ?? '');
      await blank.waitForTimeout(1_500);
      const greeting = await blank.frames()[1]?.locator('#greeting').textContent();
      expect(greeting).toBe('Thanks for your order');
      expect(trackerHits).toEqual([]);
    } finally {
      await blank.close();
    }
  });

  it('resends to another address while the primary is down: the second server receives it, linked both ways', async () => {
    await primary.stop();
    const resend = page.locator('[data-testid="resend"]');
    await resend.getByLabel('Another address').check();
    await resend.getByRole('button', { name: 'Resend' }).click();
    await resend.getByText('Recipient address: enter one address such as name@example.com.').waitFor();
    await resend.getByLabel('Recipient address').fill(OTHER_ADDRESS);
    await resend.getByRole('button', { name: 'Resend' }).click();
    const open = resend.getByRole('link', { name: 'Open the new delivery' });
    await open.waitFor();

    const [received] = await fallback.waitForMessages(1, 60_000);
    expect(received?.rcptTo).toEqual([OTHER_ADDRESS]);
    expect(received?.raw.toString('utf8')).toContain(`Subject: ${SUBJECT}`);

    await open.click();
    await page.waitForURL(
      (url) => /\/deliveries\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(deliveryId),
    );
    resentId = page.url().split('/').pop() ?? '';
    const resentFrom = page.locator('[data-testid="resent-from"]');
    await resentFrom.waitFor();
    expect(await textOf(resentFrom)()).toContain('Resent from');
    await page.locator('[data-testid="delivery-status"]', { hasText: 'Sent' }).waitFor({ timeout: 60_000 });
    await shot('02-resent');
    await resentFrom.getByRole('link').click();
    await page.waitForURL(new RegExp(`/deliveries/${deliveryId}$`));
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
  });

  it('narrows the log by date, keeps the range in the address, and shows the chart’s name and table', async () => {
    await page.getByRole('link', { name: 'Delivery log' }).first().click();
    await page.waitForURL(/\/deliveries$/);
    const rows = page.locator('tbody tr[data-delivery-id]');
    await until(
      () => rows.count(),
      (count) => count === 2,
      'both deliveries',
    );

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(tomorrow);
    await page.getByText('No delivery matches.').waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toBe(tomorrow);

    await page.getByRole('button', { name: 'Last 24 h' }).click();
    await until(
      () => rows.count(),
      (count) => count === 2,
      'the last day’s deliveries',
    );
    expect(new URL(page.url()).search).toBe('?range=24h');
    await page.reload();
    await until(
      () => rows.count(),
      (count) => count === 2,
      'the filtered log after a reload',
    );
    expect(await page.getByRole('button', { name: 'Last 24 h' }).getAttribute('aria-pressed')).toBe('true');

    const chart = page.getByRole('img', { name: /^Sent and failed attempts per provider, last 24 hours/ });
    expect(await chart.getAttribute('aria-label')).toMatch(
      /: fallback-relay 1 sent, 0 failed; primary-relay 1 sent, 1 failed\.$/,
    );
    const toggle = page.locator('button[aria-controls="chart-data"]');
    expect(await toggle.textContent()).toBe('Show the chart as a table');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator('#chart-data table').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await shot('03-log-filtered');
  });

  it('changes the retention and finds it kept after a reload', async () => {
    const retention = page.locator('[data-testid="retention"]');
    expect(await textOf(retention.locator('[data-testid="retention-current"]'))()).toContain(
      'kept for 30 days',
    );
    await retention.getByLabel('Days to keep').fill('0');
    await retention.getByRole('button', { name: 'Save' }).click();
    await retention.getByText('Days to keep: enter a whole number from 1 to 3650.').waitFor();
    await retention.getByLabel('Days to keep').fill('45');
    await retention.getByRole('button', { name: 'Save' }).click();
    await retention.getByText('Deliveries are now kept for 45 days.').waitFor();
    await page.reload();
    await until(
      textOf(retention.locator('[data-testid="retention-current"]')),
      (value) => value.includes('45 days'),
      'the kept retention',
    );
    expect(await retention.getByLabel('Days to keep').inputValue()).toBe('45');
  });

  it('shows the outage’s alert in Turkish with no internal code', async () => {
    await page.getByLabel('Language').selectOption('tr');
    await page.getByRole('heading', { level: 1, name: 'Gönderim Kayıtları' }).waitFor();
    const alerts = page.locator('[data-testid="alerts"]');
    const fallbackAlert = alerts.locator('[data-code="FALLBACK_USED"] [data-testid="alert-message"]');
    await fallbackAlert.waitFor();
    const sentence = await textOf(fallbackAlert)();
    expect(sentence).toBe(
      '“primary-relay” sağlayıcısı başarısız olduğu için e-posta “fallback-relay” üzerinden gönderildi (son hata: Bağlantı kurulamadı).',
    );
    const all = await textOf(alerts)();
    for (const code of ['FALLBACK_USED', 'CIRCUIT_OPENED', 'CONNECTION', 'failure', 'Mail went out']) {
      expect(all).not.toContain(code);
    }
    await shot('04-turkish-alerts');
  });

  it('is a card list on a phone and a small tablet, and no page scrolls sideways at phone and tablet widths', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.locator('[data-testid="delivery-card"]');
    await until(
      () => cards.count(),
      (count) => count === 2,
      'two cards',
    );
    expect(await page.locator('[data-testid="delivery-table"]').isVisible()).toBe(false);
    const card = page.locator(`[data-testid="delivery-card"][data-delivery-id="${resentId}"]`);
    const cardText = await textOf(card)();
    for (const part of ['Gönderildi', SUBJECT, OTHER_ADDRESS, 'fallback-relay'])
      expect(cardText).toContain(part);
    await fitsWindow('the cards on a phone');
    await shot('05-phone-cards');
    await expectNoSidewaysScroll('the delivery log', '07-log');
    // A small tablet still gets cards (eight columns would break addresses letter by letter); 1,024 px the table.
    for (const [width, tableShown] of [
      [768, false],
      [1024, true],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      expect({ width, tableShown: await page.locator('[data-testid="delivery-table"]').isVisible() }).toEqual(
        {
          width,
          tableShown,
        },
      );
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await card.getByRole('link', { name: SUBJECT }).click();
    await page.waitForURL(new RegExp(`/deliveries/${resentId}$`));
    await page.locator('[data-testid="headers"]').waitFor();
    await shot('06-phone-detail');
    await expectNoSidewaysScroll('a delivery’s detail', '08-detail');
  });
});
