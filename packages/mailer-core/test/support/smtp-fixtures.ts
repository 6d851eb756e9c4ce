import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../src/message';
import type { ProviderConfig } from '../../src/provider';

/** An active plain-SMTP provider toward a local server, without login unless `overrides` sets one. */
export function smtpProvider(
  target: { host: string; port: number },
  overrides: Partial<ProviderConfig> = {},
): ProviderConfig {
  return {
    id: 'p-' + randomUUID(),
    type: 'smtp',
    name: 'local',
    host: target.host,
    port: target.port,
    username: '',
    password: '',
    encryption: 'none',
    fromEmail: 'sender@mailer.test',
    fromName: 'Mailer Test',
    serviceType: 'primary',
    status: 'active',
    priority: 1,
    ...overrides,
  };
}

/** A one-recipient text message with a fresh Message-ID. */
export function testEnvelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: `<${randomUUID()}@mailer.test>`,
    from: { address: 'sender@mailer.test', name: 'Mailer Test' },
    to: [{ address: 'ann@example.com', name: 'Ann' }],
    cc: [],
    bcc: [],
    subject: 'Hello',
    text: 'Hello there',
    headers: {},
    attachments: [],
    ...overrides,
  };
}
