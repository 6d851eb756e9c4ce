import type { ApiVendor } from '@mail-providers/mailer-core';
import {
  startSmtpTestServer,
  type SmtpTestServer,
  type VendorEmulator,
} from '@mail-providers/mailer-core/test-support';
import { dataOf, type GqlResponse } from '../support/test-agent';
import { startTestServer, testSecret, type As, type TestServer } from '../support/test-server';

/** Every field of Provider a client can ask for, nested results included. */
export const PROVIDER_FIELDS = `
  id type name apiVendor host port username passwordSet encryption fromEmail fromName
  serviceType status priority channel verifiedAt settingsChangedAt createdAt updatedAt
  lastVerification { ok checkedAt durationMs warnings failure { category smtpCode enhancedCode httpStatus command message hint } }
  lastTestEmail { ok messageId sentAt channel deliveredBy { id name }
    failure { category message hint }
    attempts { providerId providerName startedAt durationMs outcome skippedReason
      failure { category smtpCode enhancedCode httpStatus message hint } } }
  health { state consecutiveFailures lastFailureAt openUntil cooldownUntil lastFailure { category message hint } }
`;

export interface ProviderView {
  id: string;
  type: string;
  name: string;
  apiVendor: string | null;
  host: string;
  port: number;
  username: string;
  passwordSet: boolean;
  encryption: string;
  fromEmail: string;
  fromName: string;
  serviceType: string;
  status: string;
  priority: number;
  channel: string;
  verifiedAt: string | null;
  settingsChangedAt: string;
  lastVerification: {
    ok: boolean;
    warnings: string[];
    failure: { category: string; message: string; hint: string } | null;
  } | null;
  lastTestEmail: {
    ok: boolean;
    messageId: string | null;
    deliveredBy: { id: string; name: string } | null;
    attempts: AttemptView[];
  } | null;
  health: {
    state: string;
    consecutiveFailures: number;
    lastFailure: { category: string; hint: string } | null;
  };
}

export interface AttemptView {
  providerId: string | null;
  providerName: string;
  outcome: string;
  skippedReason: string | null;
  failure: { category: string; smtpCode: number | null; message: string; hint: string } | null;
}

export interface ProviderInputValue {
  type: string;
  name: string;
  apiVendor?: string | null;
  host: string;
  port: number;
  username: string;
  password?: string | null;
  encryption: string;
  fromEmail: string;
  fromName: string;
  serviceType: string;
  status?: string | null;
}

export interface ServerWithSmtp {
  server: TestServer;
  /** Accepts the user `app` with `password`. */
  smtp: SmtpTestServer;
  password: string;
}

/**
 * For a whole test file: starts the API and one SMTP test server before its tests (handing them to
 * `started`, which keeps them in the file's variables) and stops both after them.
 */
export function startServerWithSmtp(started: (running: ServerWithSmtp) => void): void {
  let server: TestServer | undefined;
  let smtp: SmtpTestServer | undefined;
  beforeAll(async () => {
    const password = testSecret('smtp');
    server = await startTestServer();
    smtp = await startSmtpTestServer({ users: { app: password } });
    started({ server, smtp, password });
  });
  afterAll(async () => {
    await smtp?.close();
    await server?.close();
  });
}

let counter = 0;

/** A unique provider name for this run. */
export function uniqueName(prefix = 'provider'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A valid input toward a local SMTP test server (plain, so NONE toward loopback). */
export function smtpInput(
  smtp: Pick<SmtpTestServer, 'host' | 'port'>,
  overrides: Partial<ProviderInputValue> = {},
): ProviderInputValue {
  return {
    type: 'SMTP',
    name: uniqueName('smtp'),
    host: smtp.host,
    port: smtp.port,
    username: 'app',
    password: testSecret('smtp'),
    encryption: 'NONE',
    fromEmail: 'noreply@example.com',
    fromName: 'Example Sender',
    serviceType: 'PRIMARY',
    ...overrides,
  };
}

/** A valid input toward the vendor emulator's `vendor`, with the API key the emulator accepts. */
export function apiInput(
  emulator: VendorEmulator,
  vendor: ApiVendor,
  overrides: Partial<ProviderInputValue> = {},
): ProviderInputValue {
  const target = emulator.provider(vendor);
  return {
    type: 'API_SMTP',
    name: uniqueName(vendor),
    apiVendor: vendor.toUpperCase(),
    host: target.host,
    port: target.port,
    username: '',
    password: emulator.apiKey(vendor),
    encryption: target.encryption.toUpperCase(),
    fromEmail: 'noreply@example.com',
    fromName: 'Shop',
    serviceType: 'PRIMARY',
    ...overrides,
  };
}

export const CREATE = `mutation ($input: ProviderInput!) { createProvider(input: $input) { ${PROVIDER_FIELDS} } }`;
export const UPDATE = `mutation ($id: ID!, $input: ProviderInput!) { updateProvider(id: $id, input: $input) { ${PROVIDER_FIELDS} } }`;
export const LIST = `{ providers { ${PROVIDER_FIELDS} } }`;
export const GET = `query ($id: ID!) { provider(id: $id) { ${PROVIDER_FIELDS} } }`;
export const DELETE = `mutation ($id: ID!) { deleteProvider(id: $id) }`;
export const SET_STATUS = `mutation ($id: ID!, $status: ProviderStatus!) { setProviderStatus(id: $id, status: $status) { ${PROVIDER_FIELDS} } }`;
export const REORDER = `mutation ($ids: [ID!]!) { reorderProviders(ids: $ids) { id name priority } }`;
export const VERIFY = `mutation ($id: ID!) { verifyProvider(id: $id) { ok checkedAt durationMs warnings failure { category smtpCode enhancedCode message hint } } }`;
export const VERIFY_SETTINGS = `mutation ($input: ProviderInput!, $id: ID) { verifyProviderSettings(input: $input, id: $id) { ok checkedAt durationMs warnings failure { category smtpCode enhancedCode message hint } } }`;
export const SEND_TEST = `mutation ($to: String!, $providerId: ID, $channel: Channel) {
  sendTestEmail(to: $to, providerId: $providerId, channel: $channel) {
    ok messageId sentAt channel deliveredBy { id name }
    failure { category message hint }
    attempts { providerId providerName startedAt durationMs outcome skippedReason
      failure { category smtpCode enhancedCode httpStatus message hint } }
  }
}`;
export const CHAIN = `query ($channel: Channel) { deliveryChain(channel: $channel) { channel providers { id name priority serviceType } warnings { code severity providerId message } } }`;

export async function createProvider(
  server: TestServer,
  input: ProviderInputValue,
  as: As = 'admin',
): Promise<ProviderView> {
  return dataOf(await server.gql<{ createProvider: ProviderView }>(CREATE, { input }, { as })).createProvider;
}

export async function listProviders(server: TestServer): Promise<ProviderView[]> {
  return dataOf(await server.gql<{ providers: ProviderView[] }>(LIST)).providers;
}

/** The providers table as stored, for before/after comparisons. */
export async function providerRows(server: TestServer): Promise<unknown[]> {
  const result = await server.db.query('SELECT * FROM providers ORDER BY priority');
  return result.rows;
}

export function fieldsOf(response: GqlResponse<unknown>): Array<{ field: string; message: string }> {
  return response.body.errors?.[0]?.extensions?.fields ?? [];
}

/** The input a client sends back when editing: the provider as read, without the read-only fields. */
export function inputFrom(
  provider: ProviderView,
  overrides: Partial<ProviderInputValue> = {},
): ProviderInputValue {
  return {
    type: provider.type,
    name: provider.name,
    apiVendor: provider.apiVendor,
    host: provider.host,
    port: provider.port,
    username: provider.username,
    encryption: provider.encryption,
    fromEmail: provider.fromEmail,
    fromName: provider.fromName,
    serviceType: provider.serviceType,
    status: provider.status,
    ...overrides,
  };
}

/**
 * The text/plain body of a message as an SMTP server received it, decoded (7bit, quoted-printable or
 * base64; single part or multipart/alternative), so tests can read what the recipient reads.
 */
export function plainTextOf(raw: Buffer): string {
  const text = raw.toString('latin1');
  const split = (chunk: string): { head: string; body: string } => {
    const at = chunk.search(/\r?\n\r?\n/);
    return at < 0
      ? { head: chunk, body: '' }
      : { head: chunk.slice(0, at), body: chunk.slice(at).replace(/^\r?\n\r?\n/, '') };
  };
  const header = (head: string, name: string): string =>
    new RegExp(`^${name}:\\s*([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, 'im')
      .exec(head)?.[1]
      ?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
  const decode = (body: string, encoding: string): string => {
    const kind = encoding.trim().toLowerCase();
    if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (kind === 'quoted-printable') {
      const soft = body.replace(/=\r?\n/g, '');
      return Buffer.from(
        soft.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    }
    return Buffer.from(body, 'latin1').toString('utf8');
  };
  const top = split(text);
  const type = header(top.head, 'content-type');
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return decode(top.body, header(top.head, 'content-transfer-encoding'));
  for (const part of top.body.split(`--${boundary}`)) {
    const { head, body } = split(part.replace(/^\r?\n/, ''));
    if (/^text\/plain/i.test(header(head, 'content-type'))) {
      return decode(body.replace(/\r?\n$/, ''), header(head, 'content-transfer-encoding'));
    }
  }
  return '';
}
