/**
 * The providers list as the chain, end to end in headless Chromium against the built API (embedded
 * PostgreSQL) and two real SMTP servers on loopback: reorder within a section and across sections (the API
 * has the new order and tier after a reload), a chain test with the primary down marks the delivering
 * fallback as tested, the row's Activate verifies first and shows the result, search, the delete dialog's
 * explanation, and the card layout on a phone with no sideways scrolling.
 */

import { randomBytes } from 'node:crypto';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { Browser, Locator, Page } from 'playwright-core';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, watchConsole } from './support/browser';
import { graphqlInPage, signIn } from './support/page';

jest.setTimeout(180_000);

const secret = () => randomBytes(10).toString('hex');
const USERS = { a: { user: 'sink-a', password: secret() }, b: { user: 'sink-b', password: secret() } };

let sinkA: SmtpTestServer;
let sinkB: SmtpTestServer;
let api: RunningApi;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

function row(name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
}

const position = (name: string) => row(name).locator('[data-testid="chain-position"]');

const graphql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlInPage(page, query, variables) as Promise<T>;

async function createProvider(
  name: string,
  sink: SmtpTestServer,
  login: { user: string; password: string },
  serviceType: 'PRIMARY' | 'FALLBACK',
  status: 'ACTIVE' | 'INACTIVE',
): Promise<void> {
  const answer = await graphql<{ errors?: unknown }>(
    'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }',
    {
      input: {
        type: 'SMTP',
        name,
        host: '127.0.0.1',
        port: sink.port,
        username: login.user,
        password: login.password,
        encryption: 'NONE',
        fromEmail: 'noreply@example.com',
        fromName: 'Example Shop',
        serviceType,
        status,
      },
    },
  );
  expect(answer.errors).toBeUndefined();
}

async function stored(): Promise<{ name: string; serviceType: string }[]> {
  const answer = await graphql<{ data: { providers: { name: string; serviceType: string }[] } }>(
    '{ providers { name serviceType } }',
  );
  return answer.data.providers;
}

async function openMore(name: string): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${name}` }).click();
}

async function fitsWidth(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

beforeAll(async () => {
  [sinkA, sinkB] = await Promise.all([
    startSmtpTestServer({ users: { [USERS.a.user]: USERS.a.password } }),
    startSmtpTestServer({ users: { [USERS.b.user]: USERS.b.password } }),
  ]);
  api = await startApi();
  browser = await launchChromium();
  const context = await browser.newContext({
    baseURL: api.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
  });
  page = await context.newPage();
  consoleErrors = watchConsole(page);

  await page.goto('/login');
  await signIn(page, api.adminEmail, api.adminPassword);
  await page.getByRole('heading', { level: 1, name: 'Mail Providers' }).waitFor();

  await createProvider('alpha', sinkA, USERS.a, 'PRIMARY', 'ACTIVE');
  await createProvider('bravo', sinkB, USERS.b, 'PRIMARY', 'ACTIVE');
  await createProvider('charlie', sinkB, USERS.b, 'FALLBACK', 'ACTIVE');
  await createProvider('delta', sinkA, { user: USERS.a.user, password: secret() }, 'FALLBACK', 'INACTIVE');
  await createProvider('echo', sinkA, USERS.a, 'FALLBACK', 'INACTIVE');
  await page.reload();
  await page.locator('[data-testid="provider-name"]').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await Promise.all([sinkA?.close(), sinkB?.close()]);
});

afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

describe('the providers list is the chain', () => {
  it('shows each provider in its section with its real position', async () => {
    expect(await position('alpha').textContent()).toBe('1st primary');
    expect(await position('bravo').textContent()).toBe('2nd primary');
    expect(await position('charlie').textContent()).toBe('1st fallback');
    expect(await position('delta').textContent()).toBe('Not in the chain (inactive)');
    await page
      .getByText('If every one of them fails, it goes on through the Default mail providers.')
      .waitFor();
  });

  it('reorders within a section with the keyboard; the API has the new order after a reload', async () => {
    await page.getByRole('button', { name: 'Move bravo up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('bravo is now 1st primary.').waitFor();
    await page.getByText('Saving the new order…').waitFor({ state: 'detached' });
    await page.reload();
    await position('bravo').waitFor();
    expect(await position('bravo').textContent()).toBe('1st primary');
    expect((await stored()).map((provider) => provider.name).slice(0, 2)).toEqual(['bravo', 'alpha']);
  });

  it('moves a primary into the fallbacks in one step; order and tier are saved together', async () => {
    await openMore('alpha');
    await row('alpha').getByRole('button', { name: 'Make fallback' }).click();
    await page.getByText('alpha is now 1st fallback.').waitFor();
    await page.getByText('Saving the new order…').waitFor({ state: 'detached' });
    await page.reload();
    await position('alpha').waitFor();
    expect(await position('alpha').textContent()).toBe('1st fallback');
    expect(await position('charlie').textContent()).toBe('2nd fallback');
    const providers = await stored();
    expect(providers.find((provider) => provider.name === 'alpha')?.serviceType).toBe('FALLBACK');
    expect(providers.map((provider) => provider.name).slice(0, 3)).toEqual(['bravo', 'alpha', 'charlie']);
  });

  it('drags a fallback into the primaries: dropped there, it is a primary', async () => {
    const handle = row('charlie').locator('.drag-handle');
    const target = row('bravo');
    await page.locator('.provider-table').evaluate((table) => table.scrollIntoView({ block: 'center' }));
    const from = await handle.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error('The rows to drag are not on screen.');
    const x = from.x + from.width / 2;
    await page.mouse.move(x, from.y + from.height / 2);
    await page.mouse.down();
    // Slowly, with pauses, so the drag starts and sees the target even on a busy machine.
    await page.mouse.move(x, from.y - 8, { steps: 6 });
    await page.mouse.move(x, to.y + 5, { steps: 24 });
    await page.waitForTimeout(250);
    await page.mouse.move(x, to.y + 2, { steps: 4 });
    await page.waitForTimeout(100);
    await page.mouse.up();
    // Dropped on bravo's row: above or below it, depending on where the pointer crossed its middle.
    await page.getByText(/^charlie is now (1st|2nd) primary\.$/).waitFor();
    await page.getByText('Saving the new order…').waitFor({ state: 'detached' });
    const providers = await stored();
    expect(providers.find((provider) => provider.name === 'charlie')?.serviceType).toBe('PRIMARY');
    expect(
      providers
        .map((provider) => provider.name)
        .slice(0, 2)
        .sort(),
    ).toEqual(['bravo', 'charlie']);

    // And back, with the explicit action: a primary becomes the first fallback.
    await openMore('charlie');
    await row('charlie').getByRole('button', { name: 'Make fallback' }).click();
    await page.getByText('charlie is now 1st fallback.').waitFor();
    await page.getByText('Saving the new order…').waitFor({ state: 'detached' });
    expect((await stored()).find((provider) => provider.name === 'charlie')?.serviceType).toBe('FALLBACK');
  });

  it('a chain test with the primary down marks the delivering fallback as tested', async () => {
    expect(await row('alpha').locator('[data-testid="provider-last-test"]').textContent()).toContain(
      'Not tested',
    );
    await sinkB.stop();
    try {
      await page.getByRole('button', { name: 'Send test email' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Send test email' });
      await dialog.getByLabel('Recipient').fill('ops@example.com');
      await dialog.getByLabel('Through the chain (with fallback)').check();
      await dialog.getByRole('button', { name: 'Send test email' }).click();
      await dialog.locator('[data-testid="test-summary"]').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).first().click();
    } finally {
      await sinkB.start();
    }
    await row('alpha')
      .locator('[data-testid="provider-last-test"]', { hasText: 'Delivered' })
      .waitFor({ timeout: 20_000 });
    expect(sinkA.messages.length).toBeGreaterThan(0);
  });

  it('Activate verifies an unverified provider first and shows the result', async () => {
    await row('echo').getByRole('button', { name: 'Activate' }).click();
    await page.getByText('echo passed the connection check and is now active.').waitFor();
    expect(await position('echo').textContent()).toMatch(/fallback$/);

    await row('delta').getByRole('button', { name: 'Activate' }).click();
    const outcome = page.locator('[data-testid="action-outcome"]');
    await outcome.getByText('delta was not activated: the connection check failed.').waitFor();
    await outcome.locator('.failure').waitFor();
    expect(await position('delta').textContent()).toBe('Not in the chain (inactive)');
  });

  it('searches by name and host, with a count and an empty state', async () => {
    const search = page.getByLabel('Search providers');
    await search.fill('charl');
    expect(await page.locator('[data-testid="provider-name"]').allTextContents()).toEqual(['charlie']);
    await page.getByText('1 of 5 providers matches').waitFor();
    await search.fill('127.0.0.1');
    expect(await page.locator('[data-testid="provider-name"]').count()).toBe(5);
    await search.fill('no-such-provider');
    await page.getByText('No provider matches “no-such-provider”.').waitFor();
    await page.getByRole('button', { name: 'Clear the search' }).click();
    expect(await page.locator('[data-testid="provider-name"]').count()).toBe(5);
  });

  it('explains what a deletion breaks before it asks', async () => {
    await openMore('bravo');
    await row('bravo').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete bravo?' });
    expect(await dialog.locator('[data-testid="delete-impact"]').textContent()).toContain(
      'bravo is the last active primary of Default mail. After deleting it, that mail goes straight to its 3 fallbacks.',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await openMore('delta');
    await row('delta').getByRole('button', { name: 'Delete' }).click();
    const inactive = page.getByRole('dialog', { name: 'Delete delta?' });
    await inactive.getByText('delta is inactive, so no mail goes through it now.').waitFor();
    await inactive.getByRole('button', { name: 'Delete delta' }).click();
    await page.getByText('delta was deleted.').waitFor();
    expect((await stored()).map((provider) => provider.name)).not.toContain('delta');
  });

  it('sums untested providers up in one warning line whose Test all sends one test through each', async () => {
    const line = page.locator('[data-testid="setup-warnings"] [data-code="NOT_TESTED_SINCE_CHANGE"]');
    expect(await line.locator('[data-testid="warning-summary"]').textContent()).toBe(
      '3 providers not tested since their last change',
    );
    const before = sinkA.messages.length + sinkB.messages.length;
    await line.getByRole('button', { name: 'Test all' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test all' });
    await dialog.getByLabel('Recipient').fill('ops@example.com');
    await dialog.getByRole('button', { name: 'Send 3 test emails' }).click();
    const results = dialog.locator('[data-testid="test-all-results"]');
    await results.getByText('delivered').nth(2).waitFor();
    expect(sinkA.messages.length + sinkB.messages.length - before).toBe(3);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await line.waitFor({ state: 'detached' });
  });

  it('shows cards on a phone and never scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const card = row('bravo');
    expect(await card.evaluate((element) => getComputedStyle(element).display)).toBe('grid');
    await openMore('bravo');
    await row('bravo').getByRole('button', { name: 'Make fallback' }).waitFor();
    await page.keyboard.press('Escape');
    for (const width of [360, 390, 768, 1024, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      await page.waitForTimeout(100);
      // The list itself first (its own overflow would hide inside the page's), then the whole page.
      const list = await page.locator('.provider-table').evaluate((element) => ({
        right: element.getBoundingClientRect().right,
        overflow: element.scrollWidth - element.clientWidth,
      }));
      expect({ width, right: list.right <= width, overflow: list.overflow }).toEqual({
        width,
        right: true,
        overflow: 0,
      });
      expect({ width, fits: await fitsWidth() }).toEqual({ width, fits: true });
    }
  });
});
