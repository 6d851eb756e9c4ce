import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeDataDir, startEmbeddedApp, startTestServer } from './support/test-server';

async function processGroupOf(pid: number): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pgid=', '-p', String(pid)]);
  return Number(stdout.trim());
}

/** Log lines at warn level or above (pino: warn 40, error 50, fatal 60). */
function warningsIn(lines: string[]): string[] {
  return lines.filter((line) => {
    const parsed: unknown = JSON.parse(line);
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      'level' in parsed &&
      typeof parsed.level === 'number' &&
      parsed.level >= 40
    );
  });
}

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses new connections and closes the database', async () => {
    const server = await startTestServer();
    const agent = server.agent();
    // A login spends tens of milliseconds in argon2: long enough to be in flight when close() starts.
    const inFlight = agent.login(server.adminEmail, server.adminPassword);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const logged = server.logs.length;
    const closing = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body.data?.login.email).toBe(server.adminEmail);
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.app.services.dataSource.isInitialized).toBe(false);
    expect(warningsIn(server.logs.slice(logged))).toEqual([]);
  });

  describe('with its own embedded PostgreSQL', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await makeDataDir();
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('runs it in a process group of its own, so a Ctrl-C in the terminal reaches only the server', async () => {
      const { app } = await startEmbeddedApp(dataDir);
      try {
        const pidFile = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
        const postmaster = Number(pidFile.split('\n')[0]);
        expect(postmaster).toBeGreaterThan(0);
        expect(await processGroupOf(postmaster)).not.toBe(await processGroupOf(process.pid));
      } finally {
        await app.close();
      }
    });

    it('looks for tables to vacuum every 5 s, as the queue churns', async () => {
      const { app } = await startEmbeddedApp(dataDir);
      try {
        expect(await app.services.dataSource.query('SHOW autovacuum_naptime')).toEqual([
          { autovacuum_naptime: '5s' },
        ]);
      } finally {
        await app.close();
      }
    });

    it('stops it only after every client is gone: no warning, start after start', async () => {
      // Whether a session is still open when PostgreSQL stops is a matter of timing: several rounds.
      for (let round = 0; round < 4; round++) {
        const { app, logs } = await startEmbeddedApp(dataDir);
        const graphql = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(graphql.status).toBe(200);
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
        const logged = logs.length;
        await app.close();
        // Sessions cut by the shutdown report it asynchronously: give such a report time to arrive.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(warningsIn(logs.slice(logged))).toEqual([]);
        expect(logs.at(-1)).toContain('"msg":"stopped"');
      }
    });
  });
});
