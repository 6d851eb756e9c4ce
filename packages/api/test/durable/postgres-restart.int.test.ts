import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';
import { dataOf, TestAgent } from '../support/test-agent';
import { makeDataDir, testSecret } from '../support/test-server';
import {
  postmasterOptions,
  startApiProcess,
  startPostgres,
  stopPostgres,
  type ApiProcess,
} from './api-process';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, messageIdOf, SEND_EMAIL } from './durable-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The JSON log lines of a process's output. */
function linesOf(output: string): Array<{ msg?: string; failedTries?: number }> {
  return output.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as { msg?: string; failedTries?: number }];
    } catch {
      return [];
    }
  });
}

/**
 * A PostgreSQL of its own (the shared test server cannot be restarted), restarted for real with pg_ctl
 * while the built API accepts and sends mail.
 */
describe('a PostgreSQL restart while sending', () => {
  let pgDir: string;
  let databaseDir: string;
  let databaseUrl: string;
  let api: ApiProcess | undefined;
  let smtp: SmtpTestServer;
  let running = false;

  beforeAll(async () => {
    pgDir = await makeDataDir();
    databaseDir = path.join(pgDir, 'postgres');
    // Made by the embedded start (cluster, password, database), then handed to pg_ctl: a server this
    // process supervised would be started again by it the moment the test stops it.
    const database = await startEmbeddedDatabase({ dataDir: pgDir, logger: pino({ level: 'silent' }) });
    databaseUrl = database.url;
    await database.stop();
    await startPostgres(databaseDir, postmasterOptions(databaseDir));
    running = true;
    smtp = await startSmtpTestServer();
  });

  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
    if (running) await stopPostgres(databaseDir).catch(() => undefined);
    await rm(pgDir, { recursive: true, force: true });
  });

  it('loses nothing it accepted, and recovers by itself', async () => {
    const adminEmail = 'admin@example.test';
    const adminPassword = testSecret('admin');
    api = await startApiProcess({
      ...FAST_QUEUE_ENV,
      MODE: 'all',
      DATABASE_URL: databaseUrl,
      MAILER_SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      // The worker's line for the end of the outage is an info line.
      LOG_LEVEL: 'info',
    });
    const admin = new TestAgent(api.url);
    dataOf(await admin.login(adminEmail, adminPassword));
    await addSmtpProvider(admin, smtp, { name: 'sink' });

    // Send steadily; take the restart in the middle.
    const accepted: string[] = [];
    let refused = 0;
    let sending = true;
    const loop = (async () => {
      for (let i = 0; sending; i++) {
        try {
          const response = await admin.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
            input: { to: [`steady${i}@example.com`], subject: `Steady ${i}`, text: 'x' },
          });
          const delivery = response.body.data?.sendEmail;
          if (delivery?.status === 'QUEUED') accepted.push(delivery.id);
          else refused++;
        } catch {
          refused++;
        }
        await sleep(40);
      }
    })();

    await eventually('some mail to be sent before the restart', async () =>
      smtp.messages.length >= 10 ? true : undefined,
    );
    const options = await stopPostgres(databaseDir);
    running = false;
    await sleep(3000);
    const acceptedWhileDown = accepted.length;
    await startPostgres(databaseDir, options);
    running = true;

    // The service comes back without help: new requests are accepted again.
    await eventually(
      'sendEmail to be accepted again',
      async () => (accepted.length > acceptedWhileDown + 10 ? true : undefined),
      60_000,
    );
    sending = false;
    await loop;
    expect(refused).toBeGreaterThan(0);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await eventually(
        'every accepted message to be SENT',
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENT'`,
            [accepted],
          );
          return rows[0]?.n === accepted.length ? true : undefined;
        },
        90_000,
        250,
      );
      const { rows } = await db.query<{ message_id: string }>(
        `SELECT message_id FROM deliveries WHERE id = ANY($1::uuid[])`,
        [accepted],
      );
      const received = new Set(smtp.messages.map((message) => messageIdOf(message.raw)));
      for (const row of rows) expect(received.has(row.message_id)).toBe(true);
      const ready = await fetch(`${api.url}/readyz`);
      expect(ready.status).toBe(200);

      // The worker told the outage from an idle queue, and logged it once with its end, not once per claim.
      const claiming = linesOf(api.output()).filter((line) => line.msg?.startsWith('claiming deliveries'));
      const failed = claiming.filter((line) => line.msg === 'claiming deliveries failed; trying again');
      const recovered = claiming.filter((line) => line.msg === 'claiming deliveries works again');
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(recovered).toHaveLength(failed.length);
      const failedPolls = recovered.reduce((sum, line) => sum + (line.failedTries ?? 0), 0);
      expect(failedPolls).toBeGreaterThan(failed.length);
    } finally {
      await db.end();
    }
  }, 180_000);
});
