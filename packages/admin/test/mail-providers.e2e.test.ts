/**
 * The panel end to end, in headless Chromium, against the built API (embedded PostgreSQL in a temporary
 * DATA_DIR) and two real SMTP servers on loopback: sign in, add a primary (wrong password → hint, fixed →
 * verified → activated), add a fallback (refused activation → fixed), reorder, send a test through the
 * chain with the primary down, read the delivery log, switch to Turkish, lose the session, add a relay
 * with no login — with no console error and no password anywhere in the page or in the API's answers.
 */

import { randomBytes } from 'node:crypto';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, recordApiAnswers, watchConsole } from './support/browser';
import { graphqlInPage, screenshot, signIn, textOf, waitUntil } from './support/page';

jest.setTimeout(180_000);

const secret = (label: string) => `${label}-${randomBytes(10).toString('hex')}`;
const PRIMARY = { name: 'primary-smtp', user: 'primary-user', password: secret('p1'), wrong: secret('bad') };
const FALLBACK = {
  name: 'fallback-smtp',
  user: 'fallback-user',
  password: secret('p2'),
  wrong: secret('bad'),
};
const SECRETS = [PRIMARY.password, PRIMARY.wrong, FALLBACK.password, FALLBACK.wrong];
/** A relay that needs no login: its test server offers no AUTH. */
const RELAY = { name: 'office-relay' };

let primary: SmtpTestServer;
let fallback: SmtpTestServer;
let relay: SmtpTestServer;
let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[];
let apiAnswers: string[] = [];

const shot = (name: string) => screenshot(page, name);
const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) =>
  waitUntil(page, read, check, what);
const graphql = <T>(query: string, variables: Record<string, unknown>) =>
  graphqlInPage(page, query, variables) as Promise<T>;

function row(name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
}

async function providerNames(): Promise<string[]> {
  return page.locator('[data-testid="provider-name"]').allTextContents();
}

async function expectNoSecretInPage(): Promise<void> {
  const html = await page.content();
  for (const value of SECRETS) expect(html).not.toContain(value);
}

async function fillProvider(values: {
  name: string;
  port: number;
  user: string;
  password: string;
  serviceType: 'PRIMARY' | 'FALLBACK';
  status: 'ACTIVE' | 'INACTIVE';
}): Promise<void> {
  await page.getByLabel('Provider Type', { exact: true }).selectOption('SMTP');
  await page.getByLabel('Provider Name', { exact: true }).fill(values.name);
  await page.getByLabel('SMTP Host', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(values.port));
  await page.getByLabel('Username', { exact: true }).fill(values.user);
  await page.getByLabel('Password', { exact: true }).fill(values.password);
  await page.getByLabel('Encryption', { exact: true }).selectOption('NONE');
  await page.getByLabel('From Email', { exact: true }).fill('noreply@example.com');
  await page.getByLabel('From Name', { exact: true }).fill('Example Shop');
  await page.getByLabel('Service Type', { exact: true }).selectOption(values.serviceType);
  await page.getByLabel('Status', { exact: true }).selectOption(values.status);
}

beforeAll(async () => {
  [primary, fallback, relay] = await Promise.all([
    startSmtpTestServer({ users: { [PRIMARY.user]: PRIMARY.password } }),
    startSmtpTestServer({ users: { [FALLBACK.user]: FALLBACK.password } }),
    startSmtpTestServer(),
  ]);
  api = await startApi();
  browser = await launchChromium();
  context = await browser.newContext({
    baseURL: api.url,
    // A small laptop screen.
    viewport: { width: 1280, height: 720 },
    locale: 'en-GB',
  });
  page = await context.newPage();
  consoleErrors = watchConsole(page);
  apiAnswers = recordApiAnswers(page);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await Promise.all([primary?.close(), fallback?.close(), relay?.close()]);
});

afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

describe('Security > Mail Providers in a real browser', () => {
  it('signs in and shows the empty list with what to do', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await shot('00-login');
    await signIn(page, api.adminEmail, api.adminPassword);
    await page.waitForURL(/\/security\/mail-providers$/);
    await page.getByRole('heading', { level: 1, name: 'Mail Providers' }).waitFor();
    await page.getByText('No mail provider yet.').waitFor();
    await page
      .locator('[data-testid="setup-warnings"] .warning-item--error[data-code="NO_ACTIVE_PRIMARY"]')
      .first()
      .waitFor();
    await shot('01-empty-list');
  });

  it('adds a primary: a wrong password shows the hint, the right one verifies, then it is activated', async () => {
    await page.getByRole('link', { name: 'Add provider' }).first().click();
    await page.waitForURL(/\/new$/);
    await fillProvider({
      ...PRIMARY,
      password: PRIMARY.wrong,
      port: primary.port,
      serviceType: 'PRIMARY',
      status: 'INACTIVE',
    });

    await page.getByRole('button', { name: 'Verify connection' }).click();
    const verification = page.locator('[data-testid="verification"]');
    await verification.getByText('Verification failed').waitFor();
    expect(await textOf(verification)()).toContain('Authentication failed');
    expect(await textOf(verification)()).toContain('check Username and Password');
    await shot('02-primary-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(PRIMARY.password);
    await page.getByRole('button', { name: 'Verify connection' }).click();
    await verification.getByText('Connection verified').waitFor();
    await expectNoSecretInPage();

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/security\/mail-providers$/);
    await page.getByText(`Added ${PRIMARY.name}.`).waitFor();
    await row(PRIMARY.name).locator('[data-testid="provider-status"]', { hasText: 'Inactive' }).waitFor();
    // The check made in the form is recorded on the saved provider.
    await until(
      textOf(row(PRIMARY.name).locator('[data-testid="provider-verification"]')),
      (value) => value.includes('Verified'),
      'the verification',
    );

    await row(PRIMARY.name).getByRole('button', { name: 'Activate' }).click();
    await page.getByText(`${PRIMARY.name} is now active.`).waitFor();
    await row(PRIMARY.name).locator('[data-testid="provider-status"]', { hasText: 'Active' }).waitFor();
    await expectNoSecretInPage();
  });

  it('explains a refused activation of the fallback, and saves it once the password is right', async () => {
    await page.getByRole('link', { name: 'Add provider' }).first().click();
    await page.waitForURL(/\/new$/);
    await fillProvider({
      ...FALLBACK,
      password: FALLBACK.wrong,
      port: fallback.port,
      serviceType: 'FALLBACK',
      status: 'ACTIVE',
    });
    await page.getByRole('button', { name: 'Save' }).click();
    const refusal = page.locator('[data-testid="activation-refused"]');
    await refusal.waitFor();
    expect(await textOf(refusal)()).toContain('check Username and Password');
    expect(page.url()).toMatch(/\/new$/);
    await shot('03-fallback-activation-refused');

    await page.getByLabel('Password', { exact: true }).fill(FALLBACK.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/security\/mail-providers$/);
    await row(FALLBACK.name).locator('[data-testid="provider-status"]', { hasText: 'Active' }).waitFor();
    expect(await providerNames()).toEqual([PRIMARY.name, FALLBACK.name]);
    // Nothing blocks default mail any more (the CRM channel may still note it has no provider of its own).
    await page
      .locator('[data-testid="setup-warnings"] .warning-item--error[data-code="NO_ACTIVE_PRIMARY"]')
      .waitFor({ state: 'detached' });
  });

  it('reorders with the keyboard and by drag-and-drop within a section, and changes a tier; the chain drawing follows', async () => {
    await row(FALLBACK.name)
      .getByRole('button', { name: `More actions for ${FALLBACK.name}` })
      .click();
    await row(FALLBACK.name).getByRole('button', { name: 'Make primary' }).click();
    await page.getByText(`${FALLBACK.name} is now 2nd primary.`).waitFor();
    const moveUp = page.getByRole('button', { name: `Move ${FALLBACK.name} up` });
    await moveUp.focus();
    await page.keyboard.press('Enter');
    await page.getByText(`${FALLBACK.name} is now 1st primary.`).waitFor();
    expect(await providerNames()).toEqual([FALLBACK.name, PRIMARY.name]);
    // Focus stays on the moved row, so the keyboard user can keep moving it.
    const focusedRow = await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '');
    expect(focusedRow).toContain(FALLBACK.name);
    await shot('04-fallback-first');

    const handle = row(PRIMARY.name).locator('.drag-handle');
    const target = row(FALLBACK.name);
    // Both rows on screen: the pointer can only drag what it can reach.
    await page.locator('.provider-table').evaluate((table) => table.scrollIntoView({ block: 'center' }));
    const from = await handle.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error('The rows to drag are not on screen.');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, to.y + 5, { steps: 12 });
    await page.mouse.move(from.x + from.width / 2, to.y + 2, { steps: 4 });
    await page.mouse.up();
    await page.getByText(`${PRIMARY.name} is now 1st primary.`).waitFor();
    expect(await providerNames()).toEqual([PRIMARY.name, FALLBACK.name]);

    await row(FALLBACK.name)
      .getByRole('button', { name: `More actions for ${FALLBACK.name}` })
      .click();
    await row(FALLBACK.name).getByRole('button', { name: 'Make fallback' }).click();
    await page.getByText(`${FALLBACK.name} is now 1st fallback.`).waitFor();
    await page.getByText('Saving the new order…').waitFor({ state: 'detached' });

    const chain = page.locator('[data-testid="chain-default"] .chain__name');
    await until(
      () => chain.allTextContents(),
      (names) => names.join() === `${PRIMARY.name},${FALLBACK.name}`,
      'the chain drawing',
    );
    await page.reload();
    await page.locator('[data-testid="provider-name"]').first().waitFor();
    expect(await providerNames()).toEqual([PRIMARY.name, FALLBACK.name]);
    await shot('05-list-reordered');
  });

  it('sends a test through the chain with the primary down: the timeline shows the fallback delivered', async () => {
    await primary.stop();
    await page.getByRole('button', { name: 'Send test email' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Send test email' });
    await dialog.getByLabel('Recipient').fill('ops@example.com');
    await dialog.getByLabel('Through the chain (with fallback)').check();
    await dialog.getByRole('button', { name: 'Send test email' }).click();

    const summary = dialog.locator('[data-testid="test-summary"]');
    await summary.waitFor({ timeout: 60_000 });
    expect(await textOf(summary)()).toContain(`Delivered by ${FALLBACK.name}.`);
    const attempts = dialog.locator('[data-testid="attempt"]');
    expect(await attempts.count()).toBe(2);
    const first = (await attempts.nth(0).textContent()) ?? '';
    expect(first).toContain(PRIMARY.name);
    expect(first).toContain('Failed');
    expect(first).toContain('Connection failed');
    expect(first).toContain('What to do:');
    const second = (await attempts.nth(1).textContent()) ?? '';
    expect(second).toContain(FALLBACK.name);
    expect(second).toContain('Sent');
    const [received] = await fallback.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['ops@example.com']);
    await shot('06-test-email-timeline');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('shows the delivery log with the delivery, its attempts, the chart and the alerts', async () => {
    const sent = await graphql<{ data?: { sendEmail: { id: string } }; errors?: unknown[] }>(
      'mutation ($input: EmailInput!) { sendEmail(input: $input) { id status } }',
      {
        input: {
          to: ['customer@example.com'],
          subject: 'Order 1001 shipped',
          text: 'Your order is on its way.',
        },
      },
    );
    expect(sent.errors).toBeUndefined();
    const id = sent.data?.sendEmail.id;
    expect(id).toBeTruthy();

    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.waitForURL(/\/deliveries$/);
    const delivery = page.locator(`tr[data-delivery-id="${id}"]`);
    await delivery.waitFor();
    await delivery
      .locator('[data-testid="delivery-status"]', { hasText: 'Sent' })
      .waitFor({ timeout: 90_000 });
    expect(await textOf(delivery.locator('[data-testid="delivered-by"]'))()).toBe(FALLBACK.name);
    await delivery.getByRole('button', { name: 'Show attempts' }).click();
    const timeline = page.locator(`#attempts-${id} [data-testid="attempt"]`);
    expect(await textOf(timeline.last())()).toContain(FALLBACK.name);
    await page.locator('.chart canvas').waitFor();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await shot('07-delivery-log');
    await expectNoSecretInPage();
  });

  it('creates an API token shown once, revokes it, and lists the changes in the audit log', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByLabel('Token name').fill('shop-backend');
    await page.getByRole('button', { name: 'Create token' }).click();
    const created = page.locator('[data-testid="token-created"]');
    await created.waitFor();
    const token = await page.getByLabel('Token value').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await shot('08-api-token-created');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await created.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('tr', { hasText: 'shop-backend' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Token “shop-backend” revoked.').waitFor();

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.locator('td code', { hasText: 'provider.create' }).first().waitFor();
    await page.getByText(`Provider “${PRIMARY.name}”`).first().waitFor();
    await expectNoSecretInPage();
  });

  it('switches to Turkish and remembers it, with the API writing in Turkish too', async () => {
    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
    await page.getByLabel('Language').selectOption('tr');
    await page.getByRole('heading', { level: 1, name: 'Gönderim Kayıtları' }).waitFor();
    await page.getByRole('link', { name: 'E-posta Sağlayıcıları' }).click();
    await page.getByRole('heading', { level: 1, name: 'E-posta Sağlayıcıları' }).waitFor();
    expect(await textOf(page.locator('.breadcrumb'))()).toMatch(/Güvenlik\s*E-posta Sağlayıcıları/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'E-posta Sağlayıcıları' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('tr');
    // The API writes its warnings in the account's language, which followed the switch.
    await until(
      textOf(page.locator('[data-testid="setup-warnings"]')),
      (value) => /sağlayıcı/i.test(value),
      'Turkish warnings',
    );
    await shot('09-turkish-list');

    await row(PRIMARY.name)
      .getByRole('button', { name: `${PRIMARY.name} için diğer işlemler` })
      .click();
    await row(PRIMARY.name).getByRole('link', { name: 'Düzenle' }).click();
    await page.getByLabel('Sağlayıcı Türü', { exact: true }).waitFor();
    await page.getByLabel('SMTP Sunucusu', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Bağlantıyı Doğrula' }).waitFor();
    const password = page.getByLabel('Şifre', { exact: true });
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toBe('kayıtlı — korumak için boş bırakın');
    await shot('10-turkish-form');
    await expectNoSecretInPage();
  });

  it('never lets a password reach the page or an API answer', async () => {
    expect(apiAnswers.length).toBeGreaterThan(10);
    for (const answer of apiAnswers) {
      for (const value of SECRETS) expect(answer).not.toContain(value);
    }
  });

  it('sends an expired session back to the sign-in page with a message, then back to the page', async () => {
    await page.getByRole('link', { name: 'Gönderim Kayıtları' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gönderim Kayıtları' }).waitFor();
    await context.clearCookies();
    await page.getByRole('link', { name: 'E-posta Sağlayıcıları' }).click();
    await page.waitForURL(/\/login\?/);
    await page.getByText('Oturumunuzun süresi doldu. Lütfen tekrar giriş yapın.').waitFor();
    await shot('11-session-expired');
    await page.getByLabel('E-posta', { exact: true }).fill(api.adminEmail);
    await page.getByLabel('Şifre', { exact: true }).fill(api.adminPassword);
    await page.getByRole('button', { name: 'Giriş Yap' }).click();
    await page.waitForURL(/\/security\/mail-providers$/);
    await page.getByRole('heading', { level: 1, name: 'E-posta Sağlayıcıları' }).waitFor();
  });

  it('deletes a provider once the admin confirms', async () => {
    await row(FALLBACK.name)
      .getByRole('button', { name: `${FALLBACK.name} için diğer işlemler` })
      .click();
    await row(FALLBACK.name).getByRole('button', { name: 'Sil' }).click();
    const dialog = page.getByRole('dialog', { name: `${FALLBACK.name} silinsin mi?` });
    await dialog.getByRole('button', { name: `${FALLBACK.name} sağlayıcısını sil` }).click();
    await page.getByText(`${FALLBACK.name} silindi.`).waitFor();
    await until(providerNames, (names) => names.join() === PRIMARY.name, 'the list without the fallback');
  });

  it('adds a relay with no login, chosen in the form, verified without one (in Turkish)', async () => {
    await page.getByRole('link', { name: 'Sağlayıcı Ekle' }).first().click();
    await page.waitForURL(/\/new$/);
    await page.getByLabel('Sağlayıcı Adı', { exact: true }).fill(RELAY.name);
    await page.getByLabel('SMTP Sunucusu', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(relay.port));
    await page.getByLabel('Giriş yok (aktarıcı bu sunucuya güveniyor)').check();
    // Nothing is left to fill in that would look forgotten.
    expect(await page.getByLabel('Kullanıcı Adı', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Şifre', { exact: true }).count()).toBe(0);
    await page.getByLabel('Şifreleme', { exact: true }).selectOption('NONE');
    await page.getByLabel('Gönderen E-posta', { exact: true }).fill('noreply@example.com');
    await page.getByLabel('Gönderen Adı', { exact: true }).fill('Example Shop');
    await page.getByLabel('Hizmet Türü', { exact: true }).selectOption('FALLBACK');

    await page.getByRole('button', { name: 'Bağlantıyı Doğrula' }).click();
    const verification = page.locator('[data-testid="verification"]');
    await verification.getByText('Bağlantı doğrulandı').waitFor();
    expect(await textOf(verification)()).toContain('No login was tried');
    await shot('12-no-login-relay');

    await page.getByRole('button', { name: 'Kaydet' }).click();
    await page.waitForURL(/\/security\/mail-providers$/);
    await page.getByText(`${RELAY.name} eklendi.`).waitFor();
    await until(
      providerNames,
      (names) => names.join() === `${PRIMARY.name},${RELAY.name}`,
      'the list with the relay',
    );
    expect(relay.logins).toEqual([]);
  });
});
