import { rm } from 'node:fs/promises';
import { makeDataDir, startEmbeddedApp, startTestServer } from './support/test-server';

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

  it('with its own embedded PostgreSQL, stops it only after every client is gone: no warning, start after start', async () => {
    const dataDir = await makeDataDir();
    try {
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
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
