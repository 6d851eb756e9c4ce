import {
  echoingRefusal,
  secretEchoes,
  secretRevealedIn,
  startRawSmtpRecorder,
  startSmtpTestServer,
  type RawSmtpRecorder,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import {
  CREATE,
  LIST,
  SEND_TEST,
  VERIFY,
  VERIFY_SETTINGS,
  smtpInput,
  type ProviderView,
} from './providers/provider-support';
import { dataOf, type GqlResponse, type TestAgent } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

/**
 * A provider password that an SMTP server echoes back in its refusal, in any encoding, reaches no
 * GraphQL response, no log line and no row of any table (providers, provider_health, alert_events, the
 * queue's own tables …), in any form. The password holds every character an encoder treats specially.
 */
let server: TestServer;
let smtp: SmtpTestServer;
const recorders: RawSmtpRecorder[] = [];
const bodies: unknown[] = [];
let password: string;

const ALERTS = `{ alerts(first: 100) { nodes { kind providerId providerName message failure { category message hint } } } }`;

async function call<T>(
  query: string,
  variables?: Record<string, unknown>,
  as?: TestAgent,
): Promise<GqlResponse<T>> {
  const response = await server.gql<T>(query, variables, as ? { as } : {});
  bodies.push(response.body);
  return response;
}

/** Every string in a value, at any depth: each is checked on its own, as it is stored or shown. */
function stringsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) stringsIn(item, found);
  }
  return found;
}

/** The strings of `value` (and `raw`, the text it was read from) that show the password, with how. */
function leaks(value: unknown, raw?: string): Array<{ text: string; revealedAs: string[] }> {
  const texts = raw === undefined ? stringsIn(value) : [raw, ...stringsIn(value)];
  return texts
    .map((text) => ({ text, revealedAs: secretRevealedIn(text, password) }))
    .filter((found) => found.revealedAs.length > 0);
}

beforeAll(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: 'trace' } });
  password = `${testSecret('smtp')} "\\=&<>+/'é😀`;
  smtp = await startSmtpTestServer({ users: { app: password } });
});

afterAll(async () => {
  await smtp?.close();
  await Promise.all(recorders.map((recorder) => recorder.close()));
  await server?.close();
});

const echoes = () => secretEchoes(password);

it('verifies and test-sends through servers that echo the password in every encoding', async () => {
  const providers: ProviderView[] = [];
  const verifications: Array<{ encoding: string; message: string | undefined }> = [];
  let sender: TestAgent | undefined;
  for (const [index, echo] of echoes().entries()) {
    const refusal = echoingRefusal(echo);
    let target: { host: string; port: number } = smtp;
    if (refusal.server === 'smtp-server') {
      smtp.fail({ auth: refusal.reply });
    } else {
      const recorder = await startRawSmtpRecorder({ authReply: refusal.authReply });
      recorders.push(recorder);
      target = recorder;
    }
    const input = smtpInput(target, { name: `echo-${index}`, password, status: 'INACTIVE' });
    const created = dataOf(await call<{ createProvider: ProviderView }>(CREATE, { input })).createProvider;
    providers.push(created);

    await call(VERIFY_SETTINGS, { input: smtpInput(target, { password }) });
    const verified = dataOf(
      await call<{ verifyProvider: { ok: boolean; failure: { message: string } | null } }>(VERIFY, {
        id: created.id,
      }),
    ).verifyProvider;
    verifications.push({ encoding: echo.encoding, message: verified.failure?.message });

    // Ten test emails per caller and minute: a fresh caller every few providers.
    if (index % 8 === 0) sender = await server.userAgent('ADMIN');
    const sent = dataOf(
      await call<{ sendTestEmail: { ok: boolean; failure: { category: string } | null } }>(
        SEND_TEST,
        { to: 'ops@example.org', providerId: created.id },
        sender,
      ),
    ).sendTestEmail;
    expect(sent).toMatchObject({ ok: false, failure: { category: 'AUTH' } });
    smtp.reset();
  }

  // Each echo reached the engine and lost the password only (checked once all ran, so that the leak
  // checks below see every encoding even when one is missed).
  for (const verification of verifications) {
    expect(verification).toEqual({
      encoding: verification.encoding,
      message: expect.stringMatching(/Authentication failed for .*\[redacted\]/s),
    });
  }

  const listed = dataOf(await call<{ providers: ProviderView[] }>(LIST)).providers;
  for (const provider of providers) {
    const read = listed.find((candidate) => candidate.id === provider.id);
    expect(read?.lastVerification?.failure?.message).toContain('[redacted]');
    expect(read?.health.state).toBe('OPEN');
  }
  // A login refused opens the circuit at once: every provider has its alert, failure included.
  const alerts = dataOf(
    await call<{ alerts: { nodes: Array<{ kind: string; providerId: string }> } }>(ALERTS),
  ).alerts.nodes;
  for (const provider of providers) {
    expect(alerts).toContainEqual(
      expect.objectContaining({ kind: 'CIRCUIT_OPENED', providerId: provider.id }),
    );
  }
});

describe('the echoed password appears in no form', () => {
  it('in any GraphQL response', () => {
    expect(bodies.length).toBeGreaterThan(3 * echoes().length);
    expect(leaks(bodies)).toEqual([]);
  });

  it('in any log line', () => {
    expect(server.logs.length).toBeGreaterThan(echoes().length);
    const found = server.logs.flatMap((line) => leaks(JSON.parse(line), line));
    expect(found).toEqual([]);
  });

  it('in any row of any table, the queue’s included', async () => {
    const tables = await server.db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const names = tables.rows.map((table) => `${table.schema}.${table.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['public.providers', 'public.provider_health', 'public.alert_events']),
    );

    const redactedIn = new Set<string>();
    for (const table of tables.rows) {
      const rows = await server.db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${table.schema}"."${table.name}" t`,
      );
      for (const { row } of rows.rows) {
        expect({ table: table.name, leaks: leaks(JSON.parse(row), row) }).toEqual({
          table: table.name,
          leaks: [],
        });
        if (row.includes('[redacted]')) redactedIn.add(table.name);
      }
    }
    // The echoes were stored, without the password, where the failures are kept.
    expect([...redactedIn]).toEqual(expect.arrayContaining(['providers', 'provider_health', 'alert_events']));
  });
});
