/**
 * OAuth2 sign-in in a real browser: the API's Google endpoints point at the authorization-server emulator on
 * loopback, and the provider's SMTP server takes only XOAUTH2 with a current access token. The admin adds
 * the provider through the form (preset, Sign in with Google, client ID and secret), saves, clicks Connect,
 * goes through the emulator's sign-in and back, sees "Connected as …", a declined sign-in worded in plain
 * language, verifies, activates, sends a test email the server receives, and disconnects. The client secret
 * never reaches the page or the API's answers.
 */

import { randomBytes } from 'node:crypto';
import {
  startOAuthServerEmulator,
  startSmtpTestServer,
  type OAuthServerEmulator,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import type { Browser, Page } from 'playwright-core';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, recordApiAnswers, watchConsole } from './support/browser';
import { signIn } from './support/page';

jest.setTimeout(180_000);

const MAILBOX = 'sender@example.com';
const NAME = 'workspace-mailbox';
const clientId = `client-${randomBytes(6).toString('hex')}`;
const clientSecret = `secret-${randomBytes(12).toString('hex')}`;

let emulator: OAuthServerEmulator;
let smtp: SmtpTestServer;
let api: RunningApi;
let browser: Browser;
let page: Page;
let consoleErrors: string[];
let providerPath = '';
let apiAnswers: string[] = [];

async function expectNoSecretInPage(): Promise<void> {
  expect(await page.content()).not.toContain(clientSecret);
}

beforeAll(async () => {
  emulator = await startOAuthServerEmulator({ clientId, clientSecret, email: MAILBOX });
  smtp = await startSmtpTestServer({
    xoauth2: { isValid: (user, token) => user === MAILBOX && emulator.isCurrentAccessToken(token, user) },
  });
  api = await startApi({
    OAUTH_GOOGLE_AUTHORIZE_URL: emulator.authorizeUrl,
    OAUTH_GOOGLE_TOKEN_URL: emulator.tokenUrl,
  });
  browser = await launchChromium();
  const context = await browser.newContext({
    baseURL: api.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
  });
  page = await context.newPage();
  consoleErrors = watchConsole(page);
  apiAnswers = recordApiAnswers(page);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await smtp?.close();
  await emulator?.close();
});

afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

describe('Sign in with Google, in a real browser', () => {
  it('adds the provider through the form with the Google preset and the app registration', async () => {
    await page.goto('/login');
    await signIn(page, api.adminEmail, api.adminPassword);
    await page.waitForURL(/\/security\/mail-providers$/);

    await page.goto('/security/mail-providers/new');
    await page.getByLabel('Provider Name', { exact: true }).fill(NAME);
    await page
      .getByLabel('Vendor preset', { exact: true })
      .selectOption({ label: 'Google Workspace / Gmail (smtp.gmail.com:587 STARTTLS)' });
    expect(await page.getByLabel('SMTP Host', { exact: true }).inputValue()).toBe('smtp.gmail.com');
    expect(await page.getByLabel('Sign in with Google (Google Workspace, Gmail)').isChecked()).toBe(true);
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);

    // The emulator stands in for smtp.gmail.com on this machine.
    await page.getByLabel('SMTP Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await page.getByLabel('Encryption', { exact: true }).selectOption('NONE');
    await page.getByLabel('Username', { exact: true }).fill(MAILBOX);
    await page.getByLabel('Client ID', { exact: true }).fill(clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(clientSecret);
    await page.getByLabel('From Email', { exact: true }).fill(MAILBOX);
    await page.getByLabel('From Name', { exact: true }).fill('Example Shop');

    const help = page.locator('[data-testid="oauth-help"]');
    await help.getByText('How to register the app, step by step').click();
    expect(await help.locator('[data-testid="oauth-redirect-uri"]').textContent()).toBe(
      `${api.url}/oauth/callback`,
    );
    expect(await help.textContent()).toContain('https://mail.google.com/');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/security\/mail-providers\/(?!new$)[^/]+$/);
    providerPath = new URL(page.url()).pathname;
    await page.getByText(`Added ${NAME}.`).waitFor();
    await page.locator('[data-testid="oauth-state"]', { hasText: 'Not connected' }).waitFor();
    expect(await page.getByLabel('Client secret', { exact: true }).getAttribute('placeholder')).toContain(
      'stored',
    );
    expect(await page.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    await expectNoSecretInPage();
  });

  it('connects: the browser goes through the sign-in page and back, and the page says as whom', async () => {
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((url) => url.pathname === providerPath && url.search === '', {
      waitUntil: 'commit',
    });
    await page
      .getByText('The mailbox is connected. Verify the connection, then activate the provider.')
      .waitFor();
    await page.locator('[data-testid="oauth-state"]', { hasText: `Connected as ${MAILBOX}` }).waitFor();
    expect(emulator.authorizations).toHaveLength(1);
    expect(emulator.authorizations[0]?.redirectUri).toBe(`${api.url}/oauth/callback`);
    await expectNoSecretInPage();
  });

  it('says in plain words why a declined sign-in did not connect, and keeps the connection', async () => {
    emulator.denyNextAuthorization();
    await page.getByRole('button', { name: 'Reconnect', exact: true }).click();
    await page.waitForURL((url) => url.pathname === providerPath && url.search === '', {
      waitUntil: 'commit',
    });
    await page
      .getByText(
        'The sign-in did not complete: access was refused on the sign-in page. Use Connect again and allow access.',
      )
      .waitFor();
    await page.locator('[data-testid="oauth-state"]', { hasText: `Connected as ${MAILBOX}` }).waitFor();
  });

  it('verifies with XOAUTH2, activates, and delivers a test email to the XOAUTH2-only server', async () => {
    await page.getByRole('button', { name: 'Verify connection' }).click();
    await page.locator('[data-testid="verification"]').getByText('Connection verified').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('ACTIVE');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/security\/mail-providers$/);
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: NAME, exact: true }) });
    await row.locator('[data-testid="provider-status"]', { hasText: 'Active' }).waitFor();

    await page.getByRole('button', { name: 'Send test email' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Send test email' });
    await dialog.getByLabel('Recipient').fill('ops@example.com');
    await dialog.getByLabel('Through the chain (with fallback)').check();
    await dialog.getByRole('button', { name: 'Send test email' }).click();
    await dialog.locator('[data-testid="test-summary"]', { hasText: `Delivered by ${NAME}.` }).waitFor();
    const [received] = await smtp.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['ops@example.com']);
    expect(smtp.logins.every((login) => login.method === 'XOAUTH2')).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expectNoSecretInPage();
  });

  it('disconnects after asking, and the provider is no longer connected', async () => {
    await page.goto(providerPath);
    await page.locator('[data-testid="oauth-state"]', { hasText: `Connected as ${MAILBOX}` }).waitFor();
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect “${NAME}”?` });
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.locator('[data-testid="oauth-state"]', { hasText: 'Not connected' }).waitFor();
    await page.getByText(`Disconnected ${NAME}.`).waitFor();
  });

  it('never showed the client secret in an answer of the API', () => {
    expect(apiAnswers.length).toBeGreaterThan(5);
    for (const answer of apiAnswers) expect(answer).not.toContain(clientSecret);
  });
});
