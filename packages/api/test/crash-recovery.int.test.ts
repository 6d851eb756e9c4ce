import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { startApiProcess, type ApiProcess } from './durable/api-process';
import { addSmtpProvider, DELIVERY, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable/durable-support';
import { dataOf, TestAgent } from './support/test-agent';
import { makeDataDir, testSecret } from './support/test-server';

const ADMIN_EMAIL = 'admin@example.test';

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'), 10);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readyStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/readyz`)).status;
  } catch {
    return 0;
  }
}

/**
 * The built server (node dist/main.js) on its embedded PostgreSQL, killed the way an OOM kill or a crash
 * does it, and started again with the same command on the same DATA_DIR.
 */
describe('crash recovery on the embedded PostgreSQL', () => {
  const adminPassword = testSecret('admin');
  const env = {
    ...FAST_QUEUE_ENV,
    DELIVERY_JOB_TIMEOUT_SECONDS: '5',
    MODE: 'all',
    ADMIN_EMAIL,
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'info',
  };
  let dataDir: string;
  let smtp: SmtpTestServer;
  const processes: ApiProcess[] = [];

  async function start(): Promise<{ api: ApiProcess; admin: TestAgent }> {
    const api = await startApiProcess(env, { dataDir });
    processes.push(api);
    const admin = new TestAgent(api.url);
    dataOf(await admin.login(ADMIN_EMAIL, adminPassword));
    return { api, admin };
  }

  async function send(admin: TestAgent, count: number, tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await admin.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
        input: { to: [`${tag}-${i}@example.com`], subject: `${tag} ${i}`, text: 'x' },
      });
      expect(dataOf(response).sendEmail.status).toBe('QUEUED');
      ids.push(dataOf(response).sendEmail.id);
    }
    return ids;
  }

  async function allSent(admin: TestAgent, ids: string[]): Promise<void> {
    await eventually(
      `${ids.length} deliveries to be SENT`,
      async () => {
        for (const id of ids) {
          const { delivery } = dataOf(await admin.gql<{ delivery: { status: string } }>(DELIVERY, { id }));
          if (delivery.status !== 'SENT') return undefined;
        }
        return true;
      },
      60_000,
      250,
    );
  }

  beforeEach(async () => {
    dataDir = await makeDataDir();
    smtp = await startSmtpTestServer();
  });

  afterEach(async () => {
    for (const api of processes.splice(0)) await api.stop();
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes back after SIGKILL of the server process alone, and delivers every message it had accepted', async () => {
    const first = await start();
    expect(first.api.output()).toContain(`(database files in ${path.join(dataDir, 'postgres')})`);
    await addSmtpProvider(first.admin, smtp, { name: 'sink' });
    // The sink goes down: the messages are accepted and wait for their next round.
    await smtp.stop();
    const accepted = await send(first.admin, 8, 'before-kill');
    const leftBehind = postmasterPid(dataDir);

    first.api.kill('SIGKILL');
    await first.api.exited;
    // Nothing stopped the embedded PostgreSQL: it runs on, without the process that started it.
    expect(isAlive(leftBehind)).toBe(true);

    const killedAt = Date.now();
    const second = await start();
    await eventually('/readyz to answer 200', async () =>
      (await readyStatus(second.api.url)) === 200 ? true : undefined,
    );
    const readyAfterMs = Date.now() - killedAt;
    expect(isAlive(leftBehind)).toBe(false);
    expect(second.api.output()).toContain('left running by a process that ended');
    process.stdout.write(`crash recovery: ready again ${readyAfterMs} ms after the restart began\n`);

    await smtp.start();
    await allSent(second.admin, accepted);
    const recipients = new Set(smtp.messages.flatMap((message) => message.rcptTo));
    for (let i = 0; i < accepted.length; i++) expect(recipients).toContain(`before-kill-${i}@example.com`);
  });

  it('starts again a PostgreSQL killed under it: /readyz is 503, then 200, and mail flows', async () => {
    const { api, admin } = await start();
    await addSmtpProvider(admin, smtp, { name: 'sink' });
    const before = await send(admin, 3, 'before-crash');
    await allSent(admin, before);

    const killed = postmasterPid(dataDir);
    process.kill(killed, 'SIGKILL');
    const seen = new Set<number>();
    await eventually(
      '/readyz to go 503 and come back to 200',
      async () => {
        const status = await readyStatus(api.url);
        seen.add(status);
        return seen.has(503) && status === 200 ? true : undefined;
      },
      60_000,
      50,
    );
    expect(postmasterPid(dataDir)).not.toBe(killed);
    expect(api.output()).toContain('the embedded PostgreSQL exited unexpectedly; starting it again');
    expect(api.output()).toContain('the embedded PostgreSQL is running again');

    const after = await send(admin, 3, 'after-crash');
    await allSent(admin, after);
    const recipients = smtp.messages.flatMap((message) => message.rcptTo);
    for (let i = 0; i < 3; i++) expect(recipients).toContain(`after-crash-${i}@example.com`);
  });
});
