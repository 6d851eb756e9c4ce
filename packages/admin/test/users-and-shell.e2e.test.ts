/**
 * The panel's frame and its users, end to end in headless Chromium against the built API: an administrator
 * adds a viewer with a one-time password, the viewer must choose a password at sign-in and sees no Users
 * item; the administrator changes the role, ends the sessions, resets the password and removes the user.
 * The API then stops answering, behind a small proxy this test switches between forwarding, 503, dropped
 * connections and silence: an open page shows a banner and recovers, a page loaded meanwhile waits on an
 * "API unreachable — retrying" screen instead of the sign-in page and opens once the API is back. At 390 px
 * the navigation folds behind a Menu button; the test email dialog opens on its Recipient field.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, watchConsole } from './support/browser';
import { screenshot, signIn } from './support/page';

jest.setTimeout(180_000);

const VIEWER = { email: 'viewer@example.com', password: 'viewer-chosen-password-1' };
const WIDTHS = [360, 390, 768, 1024, 1440];

type ProxyMode = 'forward' | 'unavailable' | 'refuse' | 'silent';

/** Forwards everything to the API; /graphql can instead answer 503, drop the connection or say nothing. */
interface SwitchProxy {
  url: string;
  mode: ProxyMode;
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<SwitchProxy> {
  const upstream = new URL(target);
  const proxy: SwitchProxy = { url: '', mode: 'forward', close: async () => undefined };
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/graphql') && proxy.mode !== 'forward') {
      if (proxy.mode === 'refuse') {
        request.socket.destroy();
        return;
      }
      // A host that takes the connection and never answers.
      if (proxy.mode === 'silent') return;
      response.writeHead(503, { 'content-type': 'text/html' });
      response.end('<h1>503 Service Unavailable</h1>');
      return;
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

let api: RunningApi;
let proxy: SwitchProxy;
let browser: Browser;
let adminContext: BrowserContext;
let viewerContext: BrowserContext;
let admin: Page;
let viewer: Page;
let consoleErrors: string[][];
let oneTimePassword = '';

/** What the browser logs about the requests the proxy refused on purpose. */
const REFUSED_REQUEST =
  /Failed to load resource: (net::ERR_EMPTY_RESPONSE|the server responded with a status of 503)/;

function userRow(page: Page, email: string): Locator {
  return page.locator(`tr[data-user-email="${email}"]`);
}

async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

beforeAll(async () => {
  api = await startApi();
  proxy = await startProxy(api.url);
  browser = await launchChromium();
  const options = { baseURL: proxy.url, viewport: { width: 1280, height: 800 }, locale: 'en-GB' };
  adminContext = await browser.newContext({
    ...options,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  viewerContext = await browser.newContext(options);
  admin = await adminContext.newPage();
  viewer = await viewerContext.newPage();
  for (const page of [admin, viewer]) page.setDefaultTimeout(15_000);
  consoleErrors = [watchConsole(admin), watchConsole(viewer)];
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await api?.stop();
});

afterEach(() => {
  expect(consoleErrors.flat().filter((line) => !REFUSED_REQUEST.test(line))).toEqual([]);
});

describe('Users, the password a one-time password requires, and the frame of the panel', () => {
  it('lets an administrator add a viewer with a one-time password shown once', async () => {
    await admin.goto('/');
    await signIn(admin, api.adminEmail, api.adminPassword);
    await admin.getByRole('heading', { level: 1, name: 'Mail Providers' }).waitFor();
    await admin.getByRole('link', { name: 'Users', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await userRow(admin, api.adminEmail).getByText('you', { exact: true }).waitFor();

    await admin.getByRole('button', { name: 'Add user' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Add a user' });
    await dialog.waitFor();
    expect(await focusedId(admin)).toBe('user-email');
    await dialog.getByLabel('Email').fill(VIEWER.email);
    expect(await dialog.getByLabel('Role').inputValue()).toBe('VIEWER');
    await dialog.getByRole('button', { name: 'Add user' }).click();

    const shown = admin.getByRole('dialog', { name: `One-time password for ${VIEWER.email}` });
    await shown.waitFor();
    await shown.getByText('This password will not be shown again.').waitFor();
    oneTimePassword = await shown.getByLabel('One-time password').inputValue();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(16);
    await screenshot(admin, 'shell-01-one-time-password');
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(oneTimePassword);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await admin.content()).not.toContain(oneTimePassword);

    const row = userRow(admin, VIEWER.email);
    expect(await row.getByTestId('user-role').textContent()).toContain('Viewer');
    expect(await row.getByTestId('user-password').textContent()).toContain('Must choose a new one');
    expect(await row.getByTestId('user-last-sign-in').textContent()).toContain('never');
    await screenshot(admin, 'shell-02-users');
  });

  it('signs out; the viewer signs in with it, must choose a password, and sees no Users item', async () => {
    await admin.getByRole('button', { name: `Account: ${api.adminEmail}` }).click();
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByText('You have signed out.').waitFor();
    await signIn(admin, VIEWER.email, oneTimePassword);
    await admin.waitForURL(/\/account\/password/);
    await admin.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    expect(await admin.getByRole('link', { name: 'Mail Providers' }).count()).toBe(0);
    await admin.getByText('has at least 8 characters').waitFor();

    // Every other page leads back here until the password is chosen.
    await admin.goto('/deliveries');
    await admin.waitForURL(/\/account\/password\?redirect=(%2F|\/)deliveries$/);
    await admin.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();

    await admin.getByLabel('One-time password').fill(oneTimePassword);
    await admin.getByLabel('New password', { exact: true }).fill(VIEWER.password);
    await admin.getByLabel('New password again').fill(VIEWER.password + 'x');
    await admin.getByRole('button', { name: 'Change password' }).click();
    await admin.getByText('The two new passwords differ').waitFor();
    await screenshot(admin, 'shell-03-choose-password');
    await admin.getByLabel('New password again').fill(VIEWER.password);
    await admin.getByRole('button', { name: 'Change password' }).click();

    await admin.waitForURL(/\/deliveries$/);
    await admin.getByText('Your password has been changed.').waitFor();
    await admin.getByRole('link', { name: 'Mail Providers' }).waitFor();
    expect(await admin.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    expect(await admin.getByRole('link', { name: 'Audit log' }).count()).toBe(0);

    await admin.goto('/security/users');
    await admin.getByRole('heading', { level: 1, name: 'Administrators only' }).waitFor();
    expect(await admin.locator('tr[data-user-email]').count()).toBe(0);

    await admin.getByRole('button', { name: `Account: ${VIEWER.email}` }).click();
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByText('You have signed out.').waitFor();

    // Signing in while the API is away says so, rather than blaming the password or the network.
    proxy.mode = 'refuse';
    await admin.getByLabel('Email', { exact: true }).fill(VIEWER.email);
    await admin.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    const banner = admin.getByTestId('api-unreachable');
    await banner.getByText('nobody can sign in yet').waitFor();
    expect(await admin.getByRole('alert').count()).toBe(0);
    proxy.mode = 'forward';
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await banner.waitFor({ state: 'detached' });
  });

  it('changes the role, ends the sessions, resets the password and removes the user', async () => {
    await viewer.goto('/');
    await signIn(viewer, VIEWER.email, VIEWER.password);
    await viewer.getByRole('heading', { level: 1, name: 'Mail Providers' }).waitFor();

    await signIn(admin, api.adminEmail, api.adminPassword);
    await admin.getByRole('heading', { level: 1, name: 'Mail Providers' }).waitFor();
    await admin.getByRole('link', { name: 'Users', exact: true }).click();
    const row = userRow(admin, VIEWER.email);
    const message = admin.getByTestId('users-message');
    expect(await row.getByTestId('user-last-sign-in').textContent()).not.toContain('never');
    expect(await row.getByTestId('user-password').textContent()).toContain('Own password');

    await row.getByRole('button', { name: 'Make administrator' }).click();
    await message.getByText(`${VIEWER.email} is now an administrator.`).waitFor();
    expect(await row.getByTestId('user-role').textContent()).toContain('Administrator');
    await row.getByRole('button', { name: 'Make viewer' }).click();
    await message.getByText(`${VIEWER.email} is now a viewer.`).waitFor();

    await row.getByRole('button', { name: 'End sessions' }).click();
    await message.getByText(`${VIEWER.email} was signed out: 1 session ended.`).waitFor();
    await viewer.getByRole('link', { name: 'Delivery log' }).click();
    await viewer.waitForURL(/\/login\?/);
    await viewer.getByText('Your session has expired.').waitFor();

    await row.getByRole('button', { name: 'Reset password' }).click();
    const confirmReset = admin.getByRole('dialog', { name: `Reset the password of ${VIEWER.email}?` });
    await confirmReset.waitFor();
    // A destructive question starts on Cancel.
    expect(await admin.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancel');
    await confirmReset.getByRole('button', { name: 'Reset password' }).click();
    const shown = admin.getByRole('dialog', { name: `One-time password for ${VIEWER.email}` });
    await shown.waitFor();
    const resetPassword = await shown.getByLabel('One-time password').inputValue();
    expect(resetPassword).not.toBe(oneTimePassword);
    await shown.getByRole('button', { name: 'Done' }).click();
    await message.getByText(`The password of ${VIEWER.email} was reset; no session was open.`).waitFor();
    expect(await row.getByTestId('user-password').textContent()).toContain('Must choose a new one');

    await row.getByRole('button', { name: 'Remove' }).click();
    const confirmRemove = admin.getByRole('dialog', { name: `Remove ${VIEWER.email}?` });
    await confirmRemove.getByText('Every session of theirs ends at once.').waitFor();
    await confirmRemove.getByText('The API tokens they created are revoked').waitFor();
    await confirmRemove.getByText('The last administrator cannot be removed.').waitFor();
    await screenshot(admin, 'shell-04-remove-dialog');
    await confirmRemove.getByRole('button', { name: 'Remove' }).click();
    await message.getByText(`${VIEWER.email} was removed.`).waitFor();
    await row.waitFor({ state: 'detached' });
    // The administrator's own row offers nothing that could lock them out.
    expect(await userRow(admin, api.adminEmail).getByRole('button').count()).toBe(0);

    await viewer.getByLabel('Email', { exact: true }).fill(VIEWER.email);
    await viewer.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByText('Email or password is incorrect.').waitFor();
  });

  it('keeps an open page when the API stops answering: a banner, then the page fills in again', async () => {
    proxy.mode = 'unavailable';
    await admin.getByRole('link', { name: 'Delivery log' }).click();
    const banner = admin.getByTestId('api-unreachable');
    await banner.getByText('API unreachable — retrying').waitFor();
    await banner.getByText(/Next try at \d{2}:\d{2}:\d{2}/).waitFor();
    expect(admin.url()).toMatch(/\/deliveries$/);
    await admin.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
    await screenshot(admin, 'shell-05-unreachable-banner');

    proxy.mode = 'forward';
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await banner.waitFor({ state: 'detached' });
    await admin.getByText('Could not load this page').waitFor({ state: 'detached' });
    expect(admin.url()).toMatch(/\/deliveries$/);
  });

  it('waits on "API unreachable — retrying" when the API is away at page load, then opens the page', async () => {
    proxy.mode = 'silent';
    await admin.goto('/security/users');
    const screen = admin.getByTestId('api-unreachable');
    // The session check gives up on silence after 8 s.
    await screen.getByText('API unreachable — retrying').waitFor({ timeout: 20_000 });
    proxy.mode = 'refuse';
    await screen.getByRole('button', { name: 'Retry now' }).waitFor();
    expect(await admin.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    await screenshot(admin, 'shell-06-unreachable-screen');
    // It keeps trying by itself (1 s, then 2 s …).
    const first = await screen.getByText(/Next try at/).textContent();
    await admin.waitForFunction(
      (before) =>
        !document.querySelector('[data-testid="api-unreachable"]')?.textContent?.includes(before ?? ''),
      first,
      { timeout: 20_000 },
    );
    expect(admin.url()).toMatch(/\/security\/users$/);

    proxy.mode = 'forward';
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ timeout: 20_000 });
    await userRow(admin, api.adminEmail).waitFor();
    expect(admin.url()).toMatch(/\/security\/users$/);
    await screen.waitFor({ state: 'detached' });
  });

  it('folds the navigation behind a Menu button at 390 px, and no page scrolls sideways', async () => {
    await admin.setViewportSize({ width: 390, height: 844 });
    const menu = admin.getByRole('button', { name: 'Menu' });
    const auditLink = admin.getByRole('link', { name: 'Audit log' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await auditLink.isVisible()).toBe(false);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await auditLink.waitFor();
    await screenshot(admin, 'shell-07-menu-open-390');
    const controls = await menu.getAttribute('aria-controls');
    expect(await admin.locator(`#${controls ?? 'none'}`).isVisible()).toBe(true);
    await admin.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await admin.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe(controls);

    await admin.keyboard.press('Enter');
    await auditLink.click();
    await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    for (const path of ['/security/users', '/account/password']) {
      await admin.goto(path);
      await admin.locator('h1').first().waitFor();
      for (const width of WIDTHS) {
        await admin.setViewportSize({ width, height: 800 });
        expect([path, width, await horizontalOverflow(admin)]).toEqual([path, width, 0]);
        await screenshot(admin, `shell-08-${path.replace(/\W+/g, '-')}-${width}`);
        if (width < 900) {
          await menu.click();
          expect([path, width, 'menu open', await horizontalOverflow(admin)]).toEqual([
            path,
            width,
            'menu open',
            0,
          ]);
          await admin.keyboard.press('Escape');
        }
      }
    }
  });

  it('opens the test email dialog with focus on Recipient, keeps Tab inside, and gives focus back', async () => {
    await admin.setViewportSize({ width: 1280, height: 800 });
    // The dialog needs a provider to offer; an inactive one that is never contacted will do.
    const created = await admin.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({
          query: 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }',
          variables: {
            input: {
              type: 'SMTP',
              name: 'office-relay',
              host: '127.0.0.1',
              port: 2525,
              username: '',
              encryption: 'NONE',
              fromEmail: 'noreply@example.com',
              fromName: 'Example Shop',
              serviceType: 'PRIMARY',
              status: 'INACTIVE',
            },
          },
        }),
      });
      return (await response.json()) as { errors?: unknown };
    });
    expect(created.errors).toBeUndefined();
    await admin.goto('/security/mail-providers');
    const open = admin.getByRole('button', { name: 'Send test email' }).first();
    await open.click();
    const dialog = admin.getByRole('dialog', { name: 'Send test email' });
    await dialog.waitFor();
    expect(await focusedId(admin)).toBe('test-to');
    expect(await admin.evaluate(() => document.activeElement?.closest('.field')?.textContent)).toContain(
      'Recipient',
    );
    await admin.keyboard.press('Shift+Tab');
    await admin.keyboard.press('Shift+Tab');
    expect(await admin.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await admin.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Send test email');
  });
});
