/**
 * Every page state of the panel at every width the panel promises (360, 390, 768, 1,024 and 1,440 px), in
 * headless Chromium against the built API: no page scrolls sideways, and axe-core finds no serious or
 * critical violation of WCAG 2.2 A/AA. The API holds a primary whose server is down, a fallback that
 * delivered in its place (so the log has a delivery and an alert), an HTTP API provider never verified
 * (so the list has warnings) and an API token. Prints a table of the states and widths checked.
 */

import { randomBytes } from 'node:crypto';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import en from '../src/i18n/en';
import { startApi, type RunningApi } from './support/api-server';
import { blockingViolations, formatProblem } from './support/axe';
import { launchChromium } from './support/browser';
import { graphqlDataInPage, signIn } from './support/page';

jest.setTimeout(240_000);

const WIDTHS = [360, 390, 768, 1024, 1440] as const;
const HEIGHT = 800;

/** A page state: how to bring a page there from anywhere. */
interface PageState {
  name: string;
  /** Reached without a session (the sign-in page). */
  anonymous?: boolean;
  open(page: Page, width: number): Promise<void>;
}

const PRIMARY = { name: 'primary-smtp', user: 'primary-user', password: secret('p') };
const FALLBACK = { name: 'fallback-smtp', user: 'fallback-user', password: secret('f') };

function secret(label: string): string {
  return `${label}-${randomBytes(10).toString('hex')}`;
}

let primary: SmtpTestServer;
let fallback: SmtpTestServer;
let api: RunningApi;
let browser: Browser;
let adminContext: BrowserContext;
let anonymousContext: BrowserContext;
let adminPage: Page;
let anonymousPage: Page;
/** The HTTP API provider, whose form shows where its vendor posts delivery events. */
let apiProviderId = '';
const checked = new Map<string, Map<number, string>>();

const graphql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlDataInPage<T>(adminPage, query, variables);

const CREATE_PROVIDER = 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }';

function smtpProvider(name: string, port: number, user: string, password: string, serviceType: string) {
  return {
    type: 'SMTP',
    name,
    host: '127.0.0.1',
    port,
    username: user,
    password,
    encryption: 'NONE',
    fromEmail: 'noreply@example.com',
    fromName: 'Example Shop',
    serviceType,
    status: 'ACTIVE',
  };
}

/** Builds what the pages show: providers, a delivery the fallback made (and its alert), a token. */
async function seed(): Promise<void> {
  await graphql(CREATE_PROVIDER, {
    input: smtpProvider(PRIMARY.name, primary.port, PRIMARY.user, PRIMARY.password, 'PRIMARY'),
  });
  await graphql(CREATE_PROVIDER, {
    input: smtpProvider(FALLBACK.name, fallback.port, FALLBACK.user, FALLBACK.password, 'FALLBACK'),
  });
  const sendgrid = await graphql<{ createProvider: { id: string } }>(CREATE_PROVIDER, {
    input: {
      type: 'API_SMTP',
      name: 'sendgrid-api',
      apiVendor: 'SENDGRID',
      host: 'api.sendgrid.com',
      port: 443,
      username: '',
      password: secret('SG'),
      encryption: 'SSL_TLS',
      fromEmail: 'noreply@example.com',
      fromName: 'Example Shop',
      serviceType: 'FALLBACK',
      status: 'INACTIVE',
    },
  });
  apiProviderId = sendgrid.createProvider.id;
  await graphql('mutation { createApiToken(name: "shop-backend", scopes: [SEND]) { apiToken { id } } }');
  // Notification endpoints, switched off so that nothing is sent to these addresses.
  const CREATE_ENDPOINT =
    'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }';
  await graphql(CREATE_ENDPOINT, {
    input: {
      url: 'https://hooks.example.com/mail-events/orders',
      eventTypes: ['DELIVERY_BOUNCED', 'DELIVERY_COMPLAINED'],
      description: 'Order service',
      enabled: false,
    },
  });
  await graphql(CREATE_ENDPOINT, {
    input: {
      url: 'mailto:ops@example.com,oncall@example.com',
      format: 'EMAIL',
      eventTypes: ['PROVIDER_PAUSED', 'PROVIDER_RECOVERED', 'FALLBACK_USED'],
      language: 'tr',
      enabled: false,
    },
  });
  const SUPPRESS =
    'mutation ($email: String!, $reason: String, $channel: Channel) { addSuppression(email: $email, reason: $reason, channel: $channel) { email } }';
  await graphql(SUPPRESS, { email: 'bounced.customer@example.net', reason: 'Mailbox does not exist' });
  await graphql(SUPPRESS, { email: 'no-newsletters@example.org', channel: 'CRM' });

  await primary.stop();
  const sent = await graphql<{ sendEmail: { id: string } }>(
    'mutation ($input: EmailInput!) { sendEmail(input: $input) { id } }',
    { input: { to: ['customer@example.com'], subject: 'Order 1001 shipped', text: 'On its way.' } },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { delivery } = await graphql<{ delivery: { status: string } | null }>(
      'query ($id: ID!) { delivery(id: $id) { status } }',
      { id: sent.sendEmail.id },
    );
    if (delivery?.status === 'SENT') return;
    if (Date.now() > deadline)
      throw new Error(`The seed delivery is still ${delivery?.status ?? 'missing'}.`);
    await adminPage.waitForTimeout(200);
  }
}

/** Waits until the panel stopped asking the API for anything. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
}

/** Waits for a text on screen (a layout may keep a hidden copy, such as a table beside its cards). */
async function shown(page: Page, text: string): Promise<void> {
  await page.getByText(text).filter({ visible: true }).first().waitFor();
}

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await settled(page);
}

async function openNewProvider(page: Page): Promise<void> {
  await page.goto('/security/mail-providers/new');
  await heading(page, en.form.titleNew);
}

const STATES: PageState[] = [
  {
    name: 'sign-in',
    anonymous: true,
    open: async (page) => {
      await page.goto('/login');
      await heading(page, en.login.title);
    },
  },
  {
    name: 'sign-in error',
    anonymous: true,
    open: async (page, width) => {
      await page.goto('/login');
      await heading(page, en.login.title);
      // One unknown account per width, so the sign-in throttle never steps in.
      await signIn(page, `nobody-${width}@example.com`, 'not-the-password');
      await page.getByRole('alert').filter({ hasText: en.login.failed }).waitFor();
    },
  },
  {
    name: 'providers list',
    open: async (page) => {
      await page.goto('/security/mail-providers');
      await heading(page, en.providers.title);
      await shown(page, FALLBACK.name);
    },
  },
  {
    name: 'provider form, SMTP',
    open: openNewProvider,
  },
  {
    name: 'provider form, HTTP API',
    open: async (page) => {
      await openNewProvider(page);
      await page.getByLabel(en.form.labels.type, { exact: true }).selectOption('API_SMTP');
      await page.getByLabel(en.form.labels.apiVendor, { exact: true }).selectOption('SENDGRID');
      const host = page.getByLabel(en.form.labels.host, { exact: true });
      await page.waitForFunction(
        (input) => input instanceof HTMLInputElement && input.value === 'api.sendgrid.com',
        await host.elementHandle(),
      );
    },
  },
  {
    name: 'provider form, OAuth2',
    open: async (page) => {
      await openNewProvider(page);
      await page.getByLabel(en.form.authentication.MICROSOFT, { exact: true }).check();
      const help = page.locator('[data-testid="oauth-help"]');
      await help.getByText(en.oauth.help.toggle, { exact: true }).click();
      await help.locator('[data-testid="oauth-redirect-uri"]').waitFor();
    },
  },
  {
    name: 'provider form, errors',
    open: async (page) => {
      await openNewProvider(page);
      await page.getByRole('button', { name: en.common.save, exact: true }).click();
      await page.locator('[data-testid="form-errors"]').waitFor();
    },
  },
  {
    name: 'test email dialog',
    open: async (page) => {
      await page.goto('/security/mail-providers');
      await heading(page, en.providers.title);
      await page.getByRole('button', { name: en.providers.sendTest }).first().click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'delivery log',
    open: async (page) => {
      await page.goto('/deliveries');
      await heading(page, en.nav.deliveryLog);
      await shown(page, 'customer@example.com');
    },
  },
  {
    name: 'delivery log, filtered',
    open: async (page) => {
      await page.goto('/deliveries');
      await heading(page, en.nav.deliveryLog);
      await page.getByLabel(en.deliveries.search, { exact: true }).fill('Order 1001');
      await settled(page);
      await shown(page, 'customer@example.com');
    },
  },
  {
    name: 'delete dialog',
    open: async (page) => {
      await page.goto('/security/mail-providers');
      await heading(page, en.providers.title);
      const remove = page
        .getByRole('button', { name: en.common.delete, exact: true })
        .filter({ visible: true });
      // Narrow rows keep Delete in their More menu.
      if ((await remove.count()) === 0) {
        await page
          .getByRole('button', { name: en.chainList.moreFor.replace('{name}', FALLBACK.name), exact: true })
          .filter({ visible: true })
          .click();
      }
      await remove.first().click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'delivery detail',
    open: async (page) => {
      await page.goto('/deliveries');
      await heading(page, en.nav.deliveryLog);
      await page.locator('a[href^="/deliveries/"]').filter({ visible: true }).first().click();
      await page.locator('[data-testid="headers"]').waitFor();
      await settled(page);
    },
  },
  {
    name: 'API tokens',
    open: async (page) => {
      await page.goto('/security/api-tokens');
      await heading(page, en.tokens.title);
      await shown(page, 'shop-backend');
    },
  },
  {
    name: 'audit log',
    open: async (page) => {
      await page.goto('/security/audit-log');
      await heading(page, en.audit.title);
      await shown(page, 'provider.create');
    },
  },
  {
    name: 'users',
    open: async (page) => {
      await page.goto('/security/users');
      await heading(page, en.users.title);
      await page.locator('[data-user-email]').filter({ visible: true }).first().waitFor();
    },
  },
  {
    name: 'add user dialog',
    open: async (page) => {
      await page.goto('/security/users');
      await heading(page, en.users.title);
      await page.getByRole('button', { name: en.users.add, exact: true }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'provider form, inbound webhook',
    open: async (page) => {
      await page.goto(`/security/mail-providers/${apiProviderId}`);
      await page.locator('[data-testid="inbound-webhook"]').waitFor();
      await settled(page);
    },
  },
  {
    name: 'notifications',
    open: async (page) => {
      await page.goto('/settings/notifications');
      await heading(page, en.notifications.title);
      await shown(page, 'Order service');
    },
  },
  {
    name: 'notifications, endpoint dialog',
    open: async (page) => {
      await page.goto('/settings/notifications');
      await heading(page, en.notifications.title);
      await page.getByRole('button', { name: en.notifications.add, exact: true }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'notifications, email endpoint with errors',
    open: async (page) => {
      await page.goto('/settings/notifications');
      await heading(page, en.notifications.title);
      await page.getByRole('button', { name: en.notifications.add, exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(en.enums.webhookFormat.EMAIL, { exact: true }).check();
      await dialog.getByRole('button', { name: en.notifications.form.create, exact: true }).click();
      await dialog.getByText(en.notifications.rules.addressesRequired).waitFor();
    },
  },
  {
    name: 'notifications, attempts',
    open: async (page) => {
      await page.goto('/settings/notifications');
      await heading(page, en.notifications.title);
      await page
        .getByRole('button', { name: en.notifications.showAttempts, exact: true })
        .filter({ visible: true })
        .first()
        .click();
      await page.locator('[data-testid="webhook-attempts"]').waitFor();
      await settled(page);
    },
  },
  {
    name: 'suppression list',
    open: async (page) => {
      await page.goto('/security/suppressions');
      await heading(page, en.suppressions.title);
      await shown(page, 'bounced.customer@example.net');
    },
  },
  {
    name: 'suppression list, add dialog',
    open: async (page) => {
      await page.goto('/security/suppressions');
      await heading(page, en.suppressions.title);
      await page.getByRole('button', { name: en.suppressions.add, exact: true }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'change password',
    open: async (page) => {
      await page.goto('/account/password');
      await heading(page, en.password.title);
    },
  },
];

/** Pages the navigation offers that no state above covers (such as a users page), found at run time. */
async function otherPages(): Promise<PageState[]> {
  await adminPage.setViewportSize({ width: 1440, height: HEIGHT });
  await adminPage.goto('/security/mail-providers');
  await heading(adminPage, en.providers.title);
  const covered = [
    '/login',
    '/security/mail-providers',
    '/deliveries',
    '/security/api-tokens',
    '/security/audit-log',
    '/security/users',
    '/settings/notifications',
    '/security/suppressions',
  ];
  const paths = await adminPage
    .locator('nav a[href^="/"]')
    .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  return [...new Set(paths)]
    .filter((path) => !covered.includes(path))
    .map((path) => ({
      name: `page ${path}`,
      open: async (page: Page) => {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await settled(page);
      },
    }));
}

/** What is wrong with the page at this width: sideways scrolling, and axe's blocking violations. */
async function problemsOf(page: Page): Promise<string[]> {
  const widths = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  const problems: string[] = [];
  if (widths.scrollWidth > widths.innerWidth) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3)
        .map(
          (element) =>
            `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''}`,
        ),
    );
    problems.push(
      `scrolls sideways: the page is ${widths.scrollWidth} px wide in a ${widths.innerWidth} px window (wider than the window: ${wide.join(', ')})`,
    );
  }
  for (const violation of await blockingViolations(page)) problems.push(`axe ${formatProblem(violation)}`);
  return problems;
}

/** Visits the state at every width; throws one message naming each width and what failed there. */
async function sweep(state: PageState): Promise<void> {
  const page = state.anonymous ? anonymousPage : adminPage;
  const row = new Map<number, string>();
  checked.set(state.name, row);
  const failures: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await state.open(page, width);
    const problems = await problemsOf(page);
    row.set(width, problems.length === 0 ? 'ok' : `${problems.length} ✗`);
    for (const problem of problems) failures.push(`${state.name} at ${width} px — ${problem}`);
  }
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

function printTable(): void {
  const names = [...checked.keys()];
  const first = Math.max(...names.map((name) => name.length), 'state'.length);
  const cell = (text: string) => text.padStart(8);
  const lines = [
    `${'state'.padEnd(first)} ${WIDTHS.map((width) => cell(`${width}px`)).join('')}`,
    ...names.map(
      (name) =>
        `${name.padEnd(first)} ${WIDTHS.map((width) => cell(checked.get(name)?.get(width) ?? '—')).join('')}`,
    ),
  ];
  process.stdout.write(
    `\nPage states × widths (scrollWidth ≤ innerWidth, axe serious/critical = 0):\n${lines.join('\n')}\n`,
  );
}

beforeAll(async () => {
  [primary, fallback] = await Promise.all([
    startSmtpTestServer({ users: { [PRIMARY.user]: PRIMARY.password } }),
    startSmtpTestServer({ users: { [FALLBACK.user]: FALLBACK.password } }),
  ]);
  api = await startApi();
  browser = await launchChromium();
  const options = { baseURL: api.url, locale: 'en-GB', viewport: { width: 1440, height: HEIGHT } };
  [adminContext, anonymousContext] = await Promise.all([
    browser.newContext(options),
    browser.newContext(options),
  ]);
  [adminPage, anonymousPage] = await Promise.all([adminContext.newPage(), anonymousContext.newPage()]);
  await adminPage.goto('/login');
  await signIn(adminPage, api.adminEmail, api.adminPassword);
  await adminPage.waitForURL(/\/security\/mail-providers$/);
  await seed();
});

afterAll(async () => {
  if (checked.size > 0) printTable();
  await browser?.close();
  await api?.stop();
  await Promise.all([primary?.close(), fallback?.close()]);
});

describe('every page state at 360, 390, 768, 1,024 and 1,440 px', () => {
  it.each(STATES.map((state) => [state.name, state] as const))('%s', async (_name, state) => {
    await sweep(state);
  });

  it('every other page the navigation offers', async () => {
    const failures: string[] = [];
    for (const state of await otherPages()) {
      await sweep(state).catch((error: Error) => failures.push(error.message));
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});

describe('the provider form under the pointer', () => {
  it.each([390, 1440])(
    'keeps Save in place at %i px when pressing it makes a field show its error',
    async (width) => {
      const page = adminPage;
      await page.setViewportSize({ width, height: HEIGHT });
      await openNewProvider(page);
      const field = (label: string) => page.getByLabel(label, { exact: true });
      await field(en.form.labels.name).fill('pointer-check');
      await field(en.form.labels.host).fill('127.0.0.1');
      await field(en.form.labels.username).fill('someone');
      await field(en.form.labels.password).fill(secret('pw'));
      // Typed and still focused: its error shows once the field is left, which pressing Save does.
      await field(en.form.labels.fromEmail).fill('noreply');

      const save = page.getByRole('button', { name: en.common.save, exact: true });
      await save.scrollIntoViewIfNeeded();
      const before = await save.boundingBox();
      if (!before) throw new Error('Save is not on screen.');
      await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
      await page.mouse.down();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
      expect(await save.boundingBox()).toEqual(before);
      await page.mouse.up();

      // The click landed on Save: the form was sent, and names what is wrong.
      const summary = page.locator('[data-testid="form-errors"]');
      await summary.waitFor();
      expect(await summary.textContent()).toContain(en.form.labels.fromEmail);
    },
  );
});
