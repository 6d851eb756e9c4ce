import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createApp, type App } from '../src/server';
import { startDatabaseProxy, type DatabaseProxy } from './durable/database-proxy';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { makeDataDir } from './support/test-server';

const WAITING = 'the database does not accept connections yet';

/**
 * A server started before its database accepts connections (compose, systemd, a reboot) waits for it, one
 * log line an attempt, for up to DATABASE_WAIT_SECONDS; what waiting cannot mend fails at once.
 */
describe('start order: a database that is not up yet', () => {
  let database: TestDatabase;
  let proxy: DatabaseProxy;
  let dataDir: string;
  const apps: App[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    proxy = await startDatabaseProxy(database.url);
    dataDir = await makeDataDir();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await proxy.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function start(url: string, waitSeconds: number): { started: Promise<App>; lines: string[] } {
    const lines: string[] = [];
    const config = loadConfig({
      DATABASE_URL: url,
      DATABASE_WAIT_SECONDS: String(waitSeconds),
      DATA_DIR: dataDir,
      MAILER_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      HOST: '127.0.0.1',
      PORT: '0',
      MODE: 'api',
      LOG_LEVEL: 'info',
    });
    const logger = createLogger(
      config,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    );
    return { started: createApp(config, { logger }), lines };
  }

  const waits = (lines: string[]) => lines.filter((line) => line.includes(WAITING));

  it('waits for the database, one log line an attempt, and starts once it answers', async () => {
    proxy.cut();
    const { started, lines } = start(proxy.url, 30);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(waits(lines).length).toBeGreaterThanOrEqual(1);
    proxy.open();

    const app = await started;
    apps.push(app);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    const attempts = waits(lines).map((line) => (JSON.parse(line) as { attempt: number }).attempt);
    expect(attempts).toEqual(attempts.map((_, index) => index + 1));
    expect(lines.some((line) => line.includes('the database accepts connections'))).toBe(true);
  });

  it('gives up after DATABASE_WAIT_SECONDS with the connection error', async () => {
    proxy.cut();
    const began = Date.now();
    const { started, lines } = start(proxy.url, 1);
    await expect(started).rejects.toThrow(/Connection terminated/);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(waits(lines).length).toBeGreaterThanOrEqual(1);
  });

  it('does not wait for what waiting cannot mend: a refused login', async () => {
    const wrong = new URL(database.url);
    wrong.password = 'not-the-password';
    wrong.username = 'nobody_here';
    const { started, lines } = start(wrong.toString(), 30);
    const began = Date.now();
    await expect(started).rejects.toThrow();
    expect(Date.now() - began).toBeLessThan(5000);
    expect(waits(lines)).toHaveLength(0);
  });
});
