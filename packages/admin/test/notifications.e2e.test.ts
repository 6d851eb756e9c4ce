/**
 * Notifications, a delivery's events and the suppression list, end to end in headless Chromium against the
 * built API, with a local HTTP receiver for the webhook and the vendor API emulator for a SendGrid provider:
 * an administrator adds a webhook endpoint, copies its signing secret (shown once), sends a test event (the
 * receiver checks its Standard Webhooks signature with that secret) and sees the attempt. A message sent
 * through SendGrid bounces (a signed SendGrid event posted to the provider's inbound URL): its timeline shows
 * the hard bounce, and the address is on the suppression list, where the administrator adds another address
 * and removes the bounced one, exports and imports CSV; a message to a listed address ends Suppressed; a
 * vendor event that matched no delivery is listed; a viewer, in Turkish, sees the lists without actions;
 * an endpoint that keeps failing is disabled and enabled again.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  sampleVendorPayload,
  startVendorEmulator,
  vendorSigner,
  type VendorEmulator,
  type VendorSigner,
} from '@mail-providers/mailer-core/test-support';
import type { Browser, Page } from 'playwright-core';
import en from '../src/i18n/en';
import tr from '../src/i18n/tr';
import { startApi, type RunningApi } from './support/api-server';
import { launchChromium, watchConsole } from './support/browser';
import { graphqlDataInPage, screenshot, signIn, waitUntil } from './support/page';

jest.setTimeout(240_000);

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback: records every POST; answers 200, or 500 on /failing. */
interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const failing = path.startsWith('/failing');
      response.writeHead(failing ? 500 : 200, { 'content-type': 'text/plain' });
      response.end(failing ? 'receiver is down' : 'received, thank you');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The Standard Webhooks check, written here from the specification rather than taken from the API: the
 * HMAC-SHA256 of `id.timestamp.body` under the base64 key after `whsec_`, as one of the `v1,` signatures.
 */
function signedWith(secret: string, request: Received): boolean {
  const id = String(request.headers['webhook-id'] ?? '');
  const timestamp = String(request.headers['webhook-timestamp'] ?? '');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return String(request.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

let api: RunningApi;
let receiver: Receiver;
let emulator: VendorEmulator;
let signer: VendorSigner;
let browser: Browser;
let page: Page;
let consoleErrors: string[];
let secret = '';
let providerId = '';
let bouncedDeliveryId = '';

const BOUNCED = 'gone.customer@example.net';
const graphql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlDataInPage<T>(page, query, variables);

async function heading(name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function focusedId(): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

beforeAll(async () => {
  [receiver, emulator] = await Promise.all([startReceiver(), startVendorEmulator()]);
  signer = vendorSigner('sendgrid');
  // An endpoint failing for a few seconds is disabled, so the test can watch it happen.
  api = await startApi({ WEBHOOK_DISABLE_AFTER_HOURS: '0.002', WEBHOOK_RETRY_BASE_MS: '500' });
  browser = await launchChromium();
  const context = await browser.newContext({
    baseURL: api.url,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  consoleErrors = watchConsole(page);
  await page.goto('/login');
  await signIn(page, api.adminEmail, api.adminPassword);
  await page.waitForURL(/\/security\/mail-providers$/);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await emulator?.close();
  await receiver?.close();
});

afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

describe('Notifications, delivery events and the suppression list', () => {
  it('adds a webhook endpoint and shows its signing secret once', async () => {
    await page.getByRole('link', { name: en.nav.notifications, exact: true }).click();
    await heading(en.notifications.title);
    await page.getByText(en.notifications.empty).waitFor();

    await page.getByRole('button', { name: en.notifications.add, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: en.notifications.form.titleNew });
    await dialog.waitFor();
    expect(await focusedId()).toBe('endpoint-format-STANDARD');
    await dialog.getByLabel(en.notifications.form.url, { exact: true }).fill(`${receiver.url}/hooks/orders`);
    await dialog.getByLabel(en.notifications.form.description, { exact: true }).fill('Order service');
    await dialog.getByRole('button', { name: en.notifications.form.create, exact: true }).click();

    const secretDialog = page.getByRole('dialog', { name: 'Signing secret of “Order service”' });
    await secretDialog.waitFor();
    secret = await secretDialog.getByLabel(en.notifications.secret.label, { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await secretDialog.getByText(en.notifications.secret.shownOnce).waitFor();
    await secretDialog.getByRole('button', { name: en.notifications.secret.copy, exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, 'notifications-secret');
    await secretDialog.getByRole('button', { name: en.notifications.secret.done, exact: true }).click();

    const row = page.locator('[data-testid="endpoint-row"]').filter({ hasText: 'Order service' });
    await row.waitFor();
    expect(await row.locator('[data-testid="endpoint-target"]').textContent()).toBe(
      `${receiver.url}/hooks/orders`,
    );
    // Shown once: neither the page nor a fresh load of it holds the secret again.
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('sends a test event the receiver can verify with that secret, and lists the attempt', async () => {
    const row = page.locator('[data-testid="endpoint-row"]').filter({ hasText: 'Order service' });
    await row.getByRole('button', { name: en.notifications.sendTest, exact: true }).click();
    const result = page.locator('[data-testid="webhook-test-result"]');
    await result.getByText('Succeeded').waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('HTTP 200');
    expect(text).toContain('received, thank you');

    const test = receiver.received.find((request) => request.path === '/hooks/orders');
    expect(test).toBeDefined();
    if (test) {
      expect(signedWith(secret, test)).toBe(true);
      expect(JSON.parse(test.body)).toMatchObject({ type: 'WEBHOOK_TEST' });
    }

    await row.getByRole('button', { name: en.notifications.showAttempts, exact: true }).click();
    const attempts = page.locator('[data-testid="webhook-attempts"]');
    const attempt = attempts.locator('[data-testid="webhook-attempt-row"]').first();
    await attempt.waitFor();
    expect(await attempt.textContent()).toContain(en.notifications.attempts.test);
    expect(await attempt.textContent()).toContain('Succeeded');
    await waitUntil(
      page,
      () => row.locator('[data-testid="endpoint-last-attempt"]').textContent(),
      (value) => (value ?? '').includes('Succeeded'),
      'the last attempt in the endpoint row',
    );
    await screenshot(page, 'notifications-attempts');
  });

  it('shows a provider’s inbound webhook URL, and a SendGrid bounce in the delivery’s timeline', async () => {
    const target = emulator.provider('sendgrid');
    const created = await graphql<{ createProvider: { id: string } }>(
      'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }',
      {
        input: {
          type: 'API_SMTP',
          name: 'sendgrid-events',
          apiVendor: 'SENDGRID',
          host: target.host,
          port: target.port,
          username: '',
          password: emulator.apiKey('sendgrid'),
          encryption: 'NONE',
          fromEmail: 'noreply@example.com',
          fromName: 'Shop',
          serviceType: 'PRIMARY',
          status: 'ACTIVE',
          webhookSecret: signer.secret,
        },
      },
    );
    providerId = created.createProvider.id;

    await page.goto(`/security/mail-providers/${providerId}`);
    const inbound = page.locator('[data-testid="inbound-webhook"]');
    await inbound.waitFor();
    const inboundUrl = await inbound.getByLabel(en.inboundWebhook.url, { exact: true }).inputValue();
    expect(inboundUrl).toMatch(new RegExp(`/webhooks/sendgrid/${providerId}$`));
    await inbound.getByText(en.inboundWebhook.secretStored).waitFor();
    expect(await inbound.getByLabel(en.inboundWebhook.secret, { exact: true }).inputValue()).toBe('');
    expect(await page.content()).not.toContain(signer.secret);
    await screenshot(page, 'provider-inbound-webhook');

    const sent = await graphql<{ sendEmail: { id: string } }>(
      'mutation ($input: EmailInput!) { sendEmail(input: $input) { id } }',
      { input: { to: [BOUNCED], subject: 'Your order 2002', text: 'Thank you.' } },
    );
    bouncedDeliveryId = sent.sendEmail.id;
    await waitUntil(
      page,
      async () =>
        (
          await graphql<{ delivery: { status: string } }>(
            'query ($id: ID!) { delivery(id: $id) { status } }',
            {
              id: bouncedDeliveryId,
            },
          )
        ).delivery.status,
      (status) => status === 'SENT',
      'the delivery through SendGrid',
      60_000,
    );

    const request = signer.sign(
      sampleVendorPayload('sendgrid', [
        {
          kind: 'hard_bounce',
          recipient: BOUNCED,
          metadata: { deliveryId: bouncedDeliveryId },
          reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        },
      ]),
    );
    const answer = await fetch(inboundUrl.replace(/^https?:\/\/[^/]+/, api.url), {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(answer.status).toBe(200);

    await page.goto(`/deliveries/${bouncedDeliveryId}`);
    const events = page.locator('[data-testid="delivery-events"]');
    await events.locator('[data-event-type="DELIVERY_BOUNCED"]').waitFor();
    expect(
      await events
        .locator('[data-testid="delivery-event"]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type'))),
    ).toEqual(['DELIVERY_QUEUED', 'DELIVERY_SENT', 'DELIVERY_BOUNCED']);
    const bounce = (await events.locator('[data-event-type="DELIVERY_BOUNCED"]').textContent()) ?? '';
    expect(bounce).toContain('Bounced (hard');
    expect(bounce).toContain(`Recipient: ${BOUNCED}`);
    expect(bounce).toContain('550 5.1.1');
    await screenshot(page, 'delivery-events');
  });

  it('lists the bounced address, adds another and removes the bounced one after asking', async () => {
    await page.getByRole('link', { name: en.nav.suppressions, exact: true }).click();
    await heading(en.suppressions.title);
    const bounced = page.locator(`tr[data-suppressed-email="${BOUNCED}"]`);
    await bounced.waitFor();
    expect(await bounced.textContent()).toContain(en.enums.suppressionSource.HARD_BOUNCE);
    expect(await bounced.textContent()).toContain(en.enums.suppressionScope.ALL);
    expect(await bounced.getByRole('link', { name: en.suppressions.openDelivery }).getAttribute('href')).toBe(
      `/deliveries/${bouncedDeliveryId}`,
    );

    await page.getByRole('button', { name: en.suppressions.add, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: en.suppressions.addTitle });
    await dialog.waitFor();
    expect(await focusedId()).toBe('suppression-email');
    await dialog.getByLabel(en.suppressions.email, { exact: true }).fill('no-crm@example.org');
    await dialog.getByLabel(en.suppressions.scope, { exact: true }).selectOption('CRM');
    await dialog.getByLabel(en.suppressions.reason, { exact: true }).fill('Asked not to get newsletters');
    await dialog.getByRole('button', { name: en.suppressions.add, exact: true }).click();
    const added = page.locator('tr[data-suppressed-email="no-crm@example.org"]');
    await added.waitFor();
    expect(await added.textContent()).toContain(en.enums.suppressionScope.CRM);
    expect(await added.textContent()).toContain(en.enums.suppressionSource.MANUAL);
    expect(await added.textContent()).toContain(api.adminEmail);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: en.suppressions.export, exact: true }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^suppressions-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = await readFile(await file.path(), 'utf8');
    expect(exported.split('\n')[0]?.trim()).toBe('email,channel,source,reason,created_at');
    expect(exported).toContain('no-crm@example.org');

    await page.getByLabel(en.suppressions.importFile, { exact: true }).setInputFiles({
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,channel\nimported@example.org,\nno-crm@example.org,CRM\nnot-an-address,\n'),
    });
    await page.getByRole('button', { name: en.suppressions.import, exact: true }).click();
    const imported = page.locator('[data-testid="import-result"]');
    await imported.waitFor();
    expect(await imported.textContent()).toContain('1 added, 1 already listed, 1 errors.');
    expect(await imported.textContent()).toContain('Line 4:');
    await page.locator('tr[data-suppressed-email="imported@example.org"]').waitFor();

    await bounced.getByRole('button', { name: en.suppressions.remove, exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Remove ${BOUNCED} from the list?` });
    await confirm.waitFor();
    expect(await focusedId()).toBe('');
    await confirm.getByRole('button', { name: en.suppressions.remove, exact: true }).click();
    await page.getByText(`${BOUNCED} was removed from the list.`).waitFor();
    await bounced.waitFor({ state: 'detached' });
    await added.waitFor();
    await screenshot(page, 'suppressions');
  });

  it('ends a message to a suppressed address as Suppressed, naming the recipient it dropped', async () => {
    const sent = await graphql<{ sendEmail: { id: string; status: string } }>(
      'mutation ($input: EmailInput!) { sendEmail(input: $input) { id status } }',
      { input: { to: ['imported@example.org'], subject: 'Your order 2004', text: 'Thanks.' } },
    );
    expect(sent.sendEmail.status).toBe('SUPPRESSED');
    await page.goto(`/deliveries/${sent.sendEmail.id}`);
    const badge = page.locator('[data-testid="delivery-status"]').first();
    await badge.waitFor();
    expect(await badge.textContent()).toBe(en.enums.deliveryStatus.SUPPRESSED);
    expect(await page.locator('[data-testid="suppressed-recipients"]').textContent()).toContain(
      'imported@example.org',
    );
    await page.locator('[data-event-type="DELIVERY_SUPPRESSED"]').waitFor();
  });

  it('lists a vendor event that matches no delivery', async () => {
    const request = signer.sign(
      sampleVendorPayload('sendgrid', [
        { kind: 'hard_bounce', recipient: 'stranger@example.net', vendorMessageId: 'not-sent-by-us-1' },
      ]),
    );
    const answer = await fetch(`${api.url}/webhooks/sendgrid/${providerId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(answer.status).toBe(200);
    await page.goto('/security/suppressions');
    await heading(en.suppressions.title);
    const unmatched = page.locator('[data-testid="unmatched-vendor-events"]');
    const row = unmatched.locator('tr').filter({ hasText: 'stranger@example.net' });
    await row.waitFor();
    expect(await row.textContent()).toContain('sendgrid-events');
    expect(await row.textContent()).toContain('bounce');
    expect(await row.textContent()).toContain(en.enums.eventType.DELIVERY_BOUNCED);
  });

  it('shows a viewer, in Turkish, the lists without the actions', async () => {
    const viewer = { email: 'viewer@example.com', password: 'viewer-own-password-1' };
    await graphql('mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', {
      input: { ...viewer, role: 'VIEWER', locale: 'tr' },
    });
    const context = await browser.newContext({ baseURL: api.url, locale: 'tr-TR' });
    const viewerPage = await context.newPage();
    viewerPage.setDefaultTimeout(20_000);
    const viewerErrors = watchConsole(viewerPage);
    try {
      await viewerPage.goto('/login');
      // The browser asks for Turkish, so the sign-in form is in Turkish already.
      await viewerPage.getByLabel(tr.login.email, { exact: true }).fill(viewer.email);
      await viewerPage.getByLabel(tr.login.password, { exact: true }).fill(viewer.password);
      await viewerPage.getByRole('button', { name: tr.login.submit }).click();
      await viewerPage.waitForURL(/\/security\/mail-providers$/);
      await viewerPage.getByRole('link', { name: tr.nav.notifications, exact: true }).click();
      await viewerPage.getByRole('heading', { level: 1, name: tr.notifications.title }).waitFor();
      const row = viewerPage.locator('[data-testid="endpoint-row"]').filter({ hasText: 'Order service' });
      await row.waitFor();
      await viewerPage.getByText(tr.notifications.readOnly).waitFor();
      expect(await viewerPage.getByRole('button', { name: tr.notifications.add }).count()).toBe(0);
      expect(await row.getByRole('button').allTextContents()).toEqual([tr.notifications.showAttempts]);

      await viewerPage.getByRole('link', { name: tr.nav.suppressions, exact: true }).click();
      await viewerPage.getByRole('heading', { level: 1, name: tr.suppressions.title }).waitFor();
      const listed = viewerPage.locator('tr[data-suppressed-email="no-crm@example.org"]');
      await listed.waitFor();
      expect(await listed.textContent()).toContain(tr.enums.suppressionScope.CRM);
      expect(await viewerPage.getByRole('button', { name: tr.suppressions.remove }).count()).toBe(0);
      expect(await viewerPage.getByRole('button', { name: tr.suppressions.add }).count()).toBe(0);
      expect(viewerErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('disables an endpoint that keeps failing, and enables it again', async () => {
    await graphql(
      'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
      {
        input: {
          url: `${receiver.url}/failing`,
          eventTypes: ['DELIVERY_SENT'],
          description: 'Flaky receiver',
        },
      },
    );
    await page.goto('/settings/notifications');
    await heading(en.notifications.title);
    const row = page.locator('[data-testid="endpoint-row"]').filter({ hasText: 'Flaky receiver' });
    await row.waitFor();
    // Events go to it until it has failed for longer than the few seconds the server allows.
    await graphql('mutation ($input: EmailInput!) { sendEmail(input: $input) { id } }', {
      input: { to: ['someone@example.net'], subject: 'Order 2003', text: 'Thanks.' },
    });
    await waitUntil(
      page,
      async () => {
        await page.reload();
        await row.waitFor();
        return (await row.locator('[data-testid="endpoint-state"]').textContent()) ?? '';
      },
      (state) => state.includes('Disabled: failing since'),
      'the failing endpoint to be disabled',
      90_000,
    );
    await screenshot(page, 'notifications-disabled');
    await row.getByRole('button', { name: en.notifications.reEnable, exact: true }).click();
    await page.getByText('“Flaky receiver” is enabled again').waitFor();
    expect(await row.locator('[data-testid="endpoint-state"]').textContent()).toContain(
      en.notifications.enabled,
    );
  });
});
