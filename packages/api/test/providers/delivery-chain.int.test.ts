import type { SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf } from '../support/test-agent';
import type { TestServer } from '../support/test-server';
import { CHAIN, SEND_TEST, createProvider, smtpInput, startServerWithSmtp } from './provider-support';

interface ChainView {
  channel: string;
  providers: Array<{ id: string; name: string; priority: number; serviceType: string }>;
  warnings: Array<{ code: string; severity: string; providerId: string | null; message: string }>;
}

let server: TestServer;
let smtp: SmtpTestServer;
let password: string;

startServerWithSmtp((running) => ({ server, smtp, password } = running));

async function chain(channel?: string, headers?: Record<string, string>): Promise<ChainView> {
  return dataOf(
    await server.gql<{ deliveryChain: ChainView }>(CHAIN, channel ? { channel } : {}, { headers }),
  ).deliveryChain;
}

function codes(view: ChainView): Array<[string, string | null]> {
  return view.warnings.map((w) => [w.code, w.providerId]);
}

describe('deliveryChain', () => {
  it('walks the setup of a panel user from nothing to a tested chain', async () => {
    const empty = await chain();
    expect(empty).toMatchObject({ channel: 'DEFAULT', providers: [] });
    expect(codes(empty)).toEqual([['NO_ACTIVE_PRIMARY', null]]);
    expect(empty.warnings[0]?.severity).toBe('error');

    // A fallback first in the list, a primary after it, an inactive one, and a CRM provider, all on one host.
    const fallback = await createProvider(
      server,
      smtpInput(smtp, { password, name: 'backup', serviceType: 'FALLBACK', status: 'ACTIVE' }),
    );
    const primary = await createProvider(
      server,
      smtpInput(smtp, { password, name: 'main', status: 'ACTIVE' }),
    );
    await createProvider(server, smtpInput(smtp, { password, name: 'spare' }));
    const crm = await createProvider(
      server,
      smtpInput(smtp, { password, name: 'crm', type: 'CRM_API_SMTP', status: 'ACTIVE' }),
    );

    const setup = await chain('DEFAULT');
    expect(setup.providers.map((p) => p.name)).toEqual(['main', 'backup']);
    expect(codes(setup)).toEqual([
      ['FALLBACK_BEFORE_PRIMARY', fallback.id],
      ['SINGLE_HOST', null],
      ['NOT_TESTED_SINCE_CHANGE', primary.id],
      ['NOT_TESTED_SINCE_CHANGE', fallback.id],
    ]);

    const crmChain = await chain('CRM');
    expect(crmChain.providers.map((p) => p.name)).toEqual(['crm', 'main', 'backup']);
    expect(crmChain.providers[0]?.id).toBe(crm.id);

    for (const provider of [primary, fallback]) {
      const sent = dataOf(
        await server.gql<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, {
          to: 'ops@example.org',
          providerId: provider.id,
        }),
      );
      expect(sent.sendTestEmail.ok).toBe(true);
    }
    expect(codes(await chain())).toEqual([
      ['FALLBACK_BEFORE_PRIMARY', fallback.id],
      ['SINGLE_HOST', null],
    ]);

    // The primary's server starts failing: after three failures in a row its circuit opens and the chain says so.
    smtp.fail({ mailFrom: { code: 451, message: '4.3.0 Error: queue file write error' } });
    for (let i = 0; i < 3; i++) {
      const failed = dataOf(
        await server.gql<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, {
          to: 'ops@example.org',
          providerId: primary.id,
        }),
      );
      expect(failed.sendTestEmail.ok).toBe(false);
    }
    smtp.reset();
    const tripped = await chain();
    expect(codes(tripped)).toContainEqual(['CIRCUIT_OPEN', primary.id]);
    const warning = tripped.warnings.find((w) => w.code === 'CIRCUIT_OPEN');
    expect(warning?.message).toMatch(/"main" is being skipped after repeated failures until .* UTC/);
  });

  it('answers in the reader’s language', async () => {
    const token = await server.tokenAgent(['READ']);
    const view = dataOf(
      await server.gql<{ deliveryChain: ChainView }>(
        CHAIN,
        {},
        { as: token, headers: { 'accept-language': 'tr' } },
      ),
    ).deliveryChain;
    expect(view.warnings.length).toBeGreaterThan(0);
    expect(view.warnings.map((w) => w.message).join(' ')).toMatch(/sağlayıcı/);
  });
});
