import { initialHealthRecord } from '@mail-providers/mailer-core';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { CHAIN, GET, SEND_TEST, createProvider, smtpInput, type ProviderView } from './provider-support';

interface Warning {
  code: string;
  providerId: string | null;
  message: string;
}

let server: TestServer;
let working: SmtpTestServer;
let failing: SmtpTestServer;
let password: string;

beforeAll(async () => {
  server = await startTestServer();
  password = testSecret('smtp');
  working = await startSmtpTestServer({ users: { app: password } });
  failing = await startSmtpTestServer({ users: { app: password } });
});

afterAll(async () => {
  await working?.close();
  await failing?.close();
  await server?.close();
});

async function read(id: string): Promise<ProviderView> {
  const provider = dataOf(await server.gql<{ provider: ProviderView | null }>(GET, { id })).provider;
  if (!provider) throw new Error(`provider ${id} is gone`);
  return provider;
}

async function notTested(): Promise<Warning[]> {
  const chain = dataOf(
    await server.gql<{ deliveryChain: { warnings: Warning[] } }>(CHAIN, { channel: 'DEFAULT' }),
  ).deliveryChain;
  return chain.warnings.filter((warning) => warning.code === 'NOT_TESTED_SINCE_CHANGE');
}

/** Opens a provider's circuit as repeated failures would, and waits until the server sees it. */
async function openCircuit(id: string): Promise<void> {
  const record = {
    ...initialHealthRecord(),
    state: 'OPEN',
    consecutiveFailures: 5,
    openUntil: Date.now() + 600_000,
    openMs: 600_000,
  };
  await server.db.query(`INSERT INTO provider_health (provider_id, record) VALUES ($1, $2)`, [id, record]);
  for (let tries = 0; (await read(id)).health.state !== 'OPEN'; tries++) {
    if (tries > 50) throw new Error('the open circuit was not seen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a test email through the chain', () => {
  it('counts as a test for the provider that delivered and records the failure of each that failed', async () => {
    // The walk: skipped (its circuit is open), failing (refuses the login), deliverer, then one never reached.
    const skipped = await createProvider(
      server,
      smtpInput(working, { password, name: 'skipped', status: 'ACTIVE' }),
    );
    const refusing = await createProvider(
      server,
      smtpInput(failing, { password, name: 'refusing', status: 'ACTIVE' }),
    );
    const deliverer = await createProvider(
      server,
      smtpInput(working, { password, name: 'deliverer', serviceType: 'FALLBACK', status: 'ACTIVE' }),
    );
    const unreached = await createProvider(
      server,
      smtpInput(working, { password, name: 'unreached', serviceType: 'FALLBACK', status: 'ACTIVE' }),
    );
    await openCircuit(skipped.id);
    failing.fail({ auth: { code: 535, message: '5.7.8 Error: authentication failed' } });
    expect((await notTested()).map((warning) => warning.providerId).sort()).toEqual(
      [skipped.id, refusing.id, deliverer.id, unreached.id].sort(),
    );
    const { rows: audited } = await server.db.query<{ id: string }>(
      `SELECT coalesce(max(id), 0)::text AS id FROM audit_log`,
    );

    const result = dataOf(
      await server.gql<{
        sendTestEmail: { ok: boolean; sentAt: string; attempts: Array<{ outcome: string }> };
      }>(SEND_TEST, { to: 'ops@example.org' }),
    ).sendTestEmail;
    expect(result.ok).toBe(true);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['SKIPPED', 'FAILED', 'SENT']);

    expect((await read(deliverer.id)).lastTestEmail).toMatchObject({
      ok: true,
      sentAt: result.sentAt,
      deliveredBy: { id: deliverer.id },
      attempts: [{ outcome: 'SKIPPED' }, { outcome: 'FAILED' }, { outcome: 'SENT' }],
    });
    expect((await read(refusing.id)).lastTestEmail).toMatchObject({
      ok: false,
      sentAt: result.sentAt,
      deliveredBy: null,
      failure: { category: 'AUTH' },
      attempts: [{ providerId: refusing.id, outcome: 'FAILED', failure: { smtpCode: 535 } }],
    });
    expect((await read(skipped.id)).lastTestEmail).toBeNull();
    expect((await read(unreached.id)).lastTestEmail).toBeNull();

    // The deliverer is tested now; the one that failed says its last test failed; the others are untested.
    const warnings = await notTested();
    expect(warnings.map((warning) => warning.providerId).sort()).toEqual(
      [skipped.id, refusing.id, unreached.id].sort(),
    );
    expect(warnings.find((warning) => warning.providerId === refusing.id)?.message).toMatch(
      /last test email failed/,
    );

    const { rows: entries } = await server.db.query<{ action: string; entity_id: string; fields: string[] }>(
      `SELECT action, entity_id, fields FROM audit_log WHERE id > $1 ORDER BY id`,
      [audited[0]?.id ?? '0'],
    );
    expect(entries).toEqual(
      [refusing.id, deliverer.id].map((id) => ({
        action: 'provider.testEmail',
        entity_id: id,
        fields: ['lastTestEmail'],
      })),
    );
  });
});
