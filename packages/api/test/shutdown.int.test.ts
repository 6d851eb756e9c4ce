import { startTestServer } from './support/test-server';

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses new connections and closes the database', async () => {
    const server = await startTestServer();
    const agent = server.agent();
    // A login spends tens of milliseconds in argon2: long enough to be in flight when close() starts.
    const inFlight = agent.login(server.adminEmail, server.adminPassword);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body.data?.login.email).toBe(server.adminEmail);
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.app.services.dataSource.isInitialized).toBe(false);
  });
});
