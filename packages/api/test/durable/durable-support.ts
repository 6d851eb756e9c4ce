import type { SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { testSecret, type TestServer } from '../support/test-server';

/** Settings that keep durable-sending tests fast: short backoff, quick polling and expiry. */
export const FAST_QUEUE_ENV: Record<string, string> = {
  DELIVERY_RETRY_BASE_MS: '200',
  DELIVERY_RETRY_MAX_DELAY_MS: '1000',
  DELIVERY_RETRY_WINDOW_MS: '600000',
  QUEUE_POLL_INTERVAL_MS: '500',
  QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
  DELIVERY_JOB_TIMEOUT_SECONDS: '20',
  HEALTH_SNAPSHOT_MS: '100',
  LOG_LEVEL: 'warn',
};

export interface ProviderOptions {
  name?: string;
  serviceType?: 'PRIMARY' | 'FALLBACK';
  type?: 'SMTP' | 'API_SMTP' | 'CRM_API_SMTP';
  username?: string;
  password?: string;
  fromEmail?: string;
}

/**
 * Registers an SMTP test server as an ACTIVE provider through the API (verified in the same request), with
 * an in-process test server (as its admin) or an admin's client of any server.
 */
export async function addSmtpProvider(
  client: Pick<TestAgent, 'gql'>,
  smtp: SmtpTestServer,
  options: ProviderOptions = {},
): Promise<{ id: string; name: string; password: string }> {
  const name = options.name ?? `smtp-${smtp.port}`;
  const password = options.password ?? testSecret('smtp');
  const created = dataOf(
    await client.gql<{ createProvider: { id: string; name: string } }>(
      `mutation ($input: ProviderInput!) { createProvider(input: $input) { id name } }`,
      {
        input: {
          type: options.type ?? 'SMTP',
          name,
          host: smtp.host,
          port: smtp.port,
          username: options.username ?? 'app',
          password,
          encryption: 'NONE',
          fromEmail: options.fromEmail ?? 'noreply@sender.test',
          fromName: 'Sender',
          serviceType: options.serviceType ?? 'PRIMARY',
          status: 'ACTIVE',
        },
      },
    ),
  );
  return { ...created.createProvider, password };
}

/** Polls until `check` returns a value (not undefined), or fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Delivery statuses straight from the table, by id. */
export async function statuses(server: Pick<TestServer, 'db'>): Promise<Map<string, string>> {
  const { rows } = await server.db.query<{ id: string; status: string }>(`SELECT id, status FROM deliveries`);
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** The Message-ID header of a raw message. */
export function messageIdOf(raw: Buffer): string | undefined {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
  return /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1];
}

export const SEND_EMAIL = `mutation ($input: EmailInput!) {
  sendEmail(input: $input) { id status messageId createdAt }
}`;

export const DELIVERY = `query ($id: ID!) {
  delivery(id: $id) {
    id status messageId rounds failureReason deliveredByProviderName nextAttemptAt sentAt
    deliveredBy { id name }
    failure { category message hint }
    attempts { providerId providerName outcome round skippedReason failure { category possibleDuplicate message hint } }
  }
}`;
