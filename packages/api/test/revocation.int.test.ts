import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiProcess, type ApiProcess } from './durable/api-process';
import { dataOf } from './support/test-agent';
import { startTestServer, type TestServer } from './support/test-server';

/** Cheap, and needs the READ permission: a session of a VIEWER or a token with the READ scope. */
const READ_QUERY = '{ providers { id } }';
const CREATE_TOKEN = `mutation ($name: String!) {
  createApiToken(name: $name, scopes: [READ]) { token apiToken { id } }
}`;
const REVOKE_TOKEN = 'mutation ($id: ID!) { revokeApiToken(id: $id) { id } }';
/** Clients using one credential at once, as a busy script does. */
const CLIENTS = 8;
/** How long the clients keep going once the credential is ended: beyond any cache's age. */
const AFTER_END_MS = 1200;
/** Requests that must start after the end before the clients stop, however slow a busy machine is. */
const MIN_STARTED_AFTER = 10 * CLIENTS;
/** The clients stop by then even if the API is too slow to reach MIN_STARTED_AFTER (the tally then shows it). */
const AFTER_END_LIMIT_MS = 30_000;
/**
 * Credentials ended one after another in each test: a race lost in the moment of the ending does not
 * happen every time, so one round alone could pass by luck.
 */
const ROUNDS = 3;

interface Outcome {
  /** performance.now() when the request was sent. */
  startedAt: number;
  /** The query answered with data: the credential was accepted. */
  accepted: boolean;
  /** The error code otherwise. */
  code: string | undefined;
}

async function readWith(url: string, headers: Record<string, string>): Promise<Outcome> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: READ_QUERY }),
  });
  const body = (await response.json()) as {
    data?: { providers?: unknown } | null;
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  return {
    startedAt,
    accepted: Array.isArray(body.data?.providers),
    code: body.errors?.[0]?.extensions?.code,
  };
}

/**
 * CLIENTS loops send READ_QUERY to `url` with `headers`, back to back; meanwhile `end` ends the credential.
 * Returns every request's outcome, and when `end` returned.
 */
async function hammerWhileEnding(
  url: string,
  headers: Record<string, string>,
  end: () => Promise<void>,
): Promise<{ outcomes: Outcome[]; endedAt: number }> {
  const outcomes: Outcome[] = [];
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) outcomes.push(await readWith(url, headers));
  });
  try {
    // In use for a while first, so any process that remembers credentials has this one remembered.
    await sleep(400);
    await end();
    const endedAt = performance.now();
    const startedAfter = () => outcomes.filter((outcome) => outcome.startedAt > endedAt).length;
    await sleep(AFTER_END_MS);
    while (startedAfter() < MIN_STARTED_AFTER && performance.now() - endedAt < AFTER_END_LIMIT_MS) {
      await sleep(50);
    }
    return { outcomes, endedAt };
  } finally {
    running = false;
    await Promise.all(clients);
  }
}

/** What the assertions look at, in one object so that a failure shows all of it. */
function tally({ outcomes, endedAt }: { outcomes: Outcome[]; endedAt: number }) {
  const after = outcomes.filter((outcome) => outcome.startedAt > endedAt);
  const acceptedAfter = after.filter((outcome) => outcome.accepted);
  return {
    acceptedBefore: outcomes.filter((outcome) => outcome.startedAt <= endedAt && outcome.accepted).length,
    startedAfter: after.length,
    acceptedAfter: acceptedAfter.length,
    lastAcceptedAfterMs: Math.max(0, ...acceptedAfter.map((outcome) => outcome.startedAt - endedAt)),
    refusedOtherwise: after.filter((outcome) => !outcome.accepted && outcome.code !== 'UNAUTHENTICATED')
      .length,
  };
}

function expectEndedAtOnce(counts: ReturnType<typeof tally> & { round: number }): void {
  expect(counts).toEqual({
    round: counts.round,
    acceptedBefore: expect.any(Number),
    startedAfter: expect.any(Number),
    acceptedAfter: 0,
    lastAcceptedAfterMs: 0,
    refusedOtherwise: 0,
  });
  // The credential was in use up to the end, and was tried many times after it.
  expect(counts.acceptedBefore).toBeGreaterThan(CLIENTS);
  expect(counts.startedAfter).toBeGreaterThanOrEqual(MIN_STARTED_AFTER);
}

/**
 * An API token revoked, or a session ended, holds for every request that starts after the mutation
 * returned: in the process that ended it and in another API process on the same database, while clients
 * keep using it.
 */
describe('ending a credential', () => {
  let server: TestServer;
  let other: ApiProcess;
  const where = (name: 'this process' | 'another process') => (name === 'this process' ? server : other).url;

  beforeAll(async () => {
    server = await startTestServer({ env: { MODE: 'api' } });
    other = await startApiProcess({
      MODE: 'api',
      DATABASE_URL: server.databaseUrl,
      MAILER_SECRET_KEY: server.config.secretKey ?? '',
      ADMIN_EMAIL: server.adminEmail,
      ADMIN_PASSWORD: server.adminPassword,
    });
  });

  afterAll(async () => {
    await other?.stop();
    await server?.close();
  });

  it.each(['this process', 'another process'] as const)(
    'a revoked API token is refused in %s for every request that starts after revokeApiToken returned',
    async (name) => {
      const admin = await server.admin();
      for (let round = 1; round <= ROUNDS; round++) {
        const { token, apiToken } = dataOf(
          await admin.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(CREATE_TOKEN, {
            name: `busy-${round}`,
          }),
        ).createApiToken;
        const counts = tally(
          await hammerWhileEnding(where(name), { authorization: `Bearer ${token}` }, async () => {
            dataOf(await admin.gql(REVOKE_TOKEN, { id: apiToken.id }));
          }),
        );
        expectEndedAtOnce({ round, ...counts });
      }
    },
  );

  it.each(['this process', 'another process'] as const)(
    'a session ended by logout is refused in %s for every request that starts after logout returned',
    async (name) => {
      for (let round = 1; round <= ROUNDS; round++) {
        const viewer = await server.userAgent('VIEWER');
        const cookie = `mp_session=${viewer.cookies.get('mp_session') ?? ''}`;
        const counts = tally(
          await hammerWhileEnding(where(name), { cookie }, async () => {
            expect(dataOf(await viewer.gql<{ logout: boolean }>('mutation { logout }')).logout).toBe(true);
          }),
        );
        expectEndedAtOnce({ round, ...counts });
      }
    },
  );
});
