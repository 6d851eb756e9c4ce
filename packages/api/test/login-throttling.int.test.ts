import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoginGuard } from '../src/auth/login-guard';
import { dataOf } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`;

type Outcome = 'signed in' | 'wrong' | 'throttled';

interface LoginAnswer {
  outcome: Outcome;
  message: string | undefined;
  retryAfterSeconds: number | undefined;
}

/**
 * A login sent from `localAddress` (any of 127.0.0.0/8 reaches the server on 127.0.0.1, and the server
 * sees that address as the client's). fetch cannot choose its source address; http.request can.
 */
function loginFrom(
  server: TestServer,
  localAddress: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<LoginAnswer> {
  const url = new URL(server.url);
  const body = JSON.stringify({ query: LOGIN, variables: { e: email, p: password } });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: '/graphql',
        method: 'POST',
        localAddress,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            const parsed = JSON.parse(text) as {
              data?: { login?: { id: string } } | null;
              errors?: Array<{ message: string; extensions?: { code?: string; retryAfterSeconds?: number } }>;
            };
            const error = parsed.errors?.[0];
            const code = error?.extensions?.code;
            if (parsed.data?.login)
              resolve({ outcome: 'signed in', message: undefined, retryAfterSeconds: undefined });
            else if (code === 'UNAUTHENTICATED' || code === 'RATE_LIMITED')
              resolve({
                outcome: code === 'UNAUTHENTICATED' ? 'wrong' : 'throttled',
                message: error?.message,
                retryAfterSeconds: error?.extensions?.retryAfterSeconds,
              });
            else reject(new Error(`Unexpected login answer ${response.statusCode}: ${text}`));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function createAccount(server: TestServer, name: string): Promise<{ email: string; password: string }> {
  const email = `${name}-${Date.now()}@example.test`;
  const password = testSecret('pw');
  dataOf(await server.gql(CREATE_USER, { input: { email, password, role: 'VIEWER' } }));
  return { email, password };
}

const PAIR_THROTTLED =
  /^Too many failed logins for this account from your address; try again in \d+ seconds\.$/;
const ADDRESS_THROTTLED = /^Too many failed logins from your address today; try again in \d+ seconds\.$/;

describe('login throttling', () => {
  let server: TestServer;
  const IP_FAILURES_PER_DAY = 30;

  beforeAll(async () => {
    // The default rules (5 failures, then 60 s doubling to 15 min), with a smaller daily budget per address.
    server = await startTestServer({ env: { LOGIN_IP_FAILURES_PER_DAY: String(IP_FAILURES_PER_DAY) } });
  });
  afterAll(() => server?.close());

  it('sees each loopback address as a client of its own', async () => {
    const { email } = await createAccount(server, 'seen');
    await loginFrom(server, '127.0.0.9', email, 'not-the-password');
    const entries = server.logs.map((line): { msg?: string; ip?: string } => JSON.parse(line));
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'failed login', ip: '127.0.0.9' }));
  });

  it('an attacker who fails 20 times is throttled; the owner, from another address, signs in at once', async () => {
    const owner = await createAccount(server, 'owner');
    const attacker = '127.0.0.2';
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await loginFrom(server, attacker, owner.email, testSecret('guess'));
      outcomes.push(answer.outcome);
      if (answer.outcome === 'throttled') {
        expect(answer.message).toMatch(PAIR_THROTTLED);
        expect(answer.retryAfterSeconds).toBeGreaterThan(0);
        expect(answer.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    }
    expect(outcomes).toEqual([...Array<Outcome>(5).fill('wrong'), ...Array<Outcome>(15).fill('throttled')]);

    expect((await loginFrom(server, '127.0.0.3', owner.email, owner.password)).outcome).toBe('signed in');
    // The attacker's address stays throttled for this account, whatever the password.
    expect((await loginFrom(server, attacker, owner.email, owner.password)).outcome).toBe('throttled');
  });

  it('lets through no more guesses sent in parallel than sent one by one', async () => {
    const { email } = await createAccount(server, 'parallel');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => loginFrom(server, '127.0.0.4', email, testSecret('guess'))),
    );
    const outcomes = answers.map((answer) => answer.outcome).sort();
    expect(outcomes).toEqual([...Array<Outcome>(15).fill('throttled'), ...Array<Outcome>(5).fill('wrong')]);
  });

  type Step = [
    from: string,
    account: 'A' | 'B' | 'unknown',
    password: 'right' | 'wrong',
    forwardedFor?: string,
  ];

  it.each<[rule: string, steps: Step[], last: Step, expected: Outcome]>([
    [
      'four failures in a row are not throttled yet',
      Array<Step>(4).fill(['127.0.1.1', 'A', 'wrong']),
      ['127.0.1.1', 'A', 'right'],
      'signed in',
    ],
    [
      'after five failures in a row, the same address is refused, even with the right password',
      Array<Step>(5).fill(['127.0.1.2', 'A', 'wrong']),
      ['127.0.1.2', 'A', 'right'],
      'throttled',
    ],
    [
      'after five failures in a row from one address, another address signs in with the right password',
      Array<Step>(5).fill(['127.0.1.3', 'A', 'wrong']),
      ['127.0.1.4', 'A', 'right'],
      'signed in',
    ],
    [
      'after five failures in a row from one address, another address may still try (and fail)',
      Array<Step>(5).fill(['127.0.1.5', 'A', 'wrong']),
      ['127.0.1.6', 'A', 'wrong'],
      'wrong',
    ],
    [
      'failures from one address on one account do not throttle it on another account',
      Array<Step>(5).fill(['127.0.1.7', 'B', 'wrong']),
      ['127.0.1.7', 'A', 'right'],
      'signed in',
    ],
    [
      'a successful login starts the count afresh',
      [
        ...Array<Step>(4).fill(['127.0.1.8', 'A', 'wrong']),
        ['127.0.1.8', 'A', 'right'],
        ...Array<Step>(4).fill(['127.0.1.8', 'A', 'wrong']),
      ],
      ['127.0.1.8', 'A', 'right'],
      'signed in',
    ],
    [
      'without TRUST_PROXY, X-Forwarded-For does not make a new address',
      [1, 2, 3, 4, 5].map((n): Step => ['127.0.1.9', 'A', 'wrong', `198.51.100.${n}`]),
      ['127.0.1.9', 'A', 'right', '198.51.100.6'],
      'throttled',
    ],
    [
      `an address that failed ${IP_FAILURES_PER_DAY} times today, across accounts, is refused on any account`,
      Array<Step>(IP_FAILURES_PER_DAY).fill(['127.0.1.10', 'unknown', 'wrong']),
      ['127.0.1.10', 'A', 'right'],
      'throttled',
    ],
    [
      `an address that failed ${IP_FAILURES_PER_DAY} times today does not throttle another address`,
      Array<Step>(IP_FAILURES_PER_DAY).fill(['127.0.1.11', 'unknown', 'wrong']),
      ['127.0.1.12', 'A', 'right'],
      'signed in',
    ],
  ])('%s', async (_rule, steps, last, expected) => {
    const accounts = { A: await createAccount(server, 'a'), B: await createAccount(server, 'b') };
    let unknown = 0;
    const send = ([from, account, password, forwardedFor]: Step) => {
      const email = account === 'unknown' ? `nobody-${unknown++}@example.test` : accounts[account].email;
      const secret = account !== 'unknown' && password === 'right' ? accounts[account].password : 'wrong-pw';
      return loginFrom(server, from, email, secret, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});
    };
    for (const step of steps) {
      // Every step before the last goes as its password says: none of them is throttled.
      expect((await send(step)).outcome).toBe(step[2] === 'right' ? 'signed in' : 'wrong');
    }
    const answer = await send(last);
    expect(answer.outcome).toBe(expected);
    if (expected === 'throttled')
      expect(answer.message).toMatch(last[0] === '127.0.1.10' ? ADDRESS_THROTTLED : PAIR_THROTTLED);
  });

  it('forgetting an account (its password was reset) clears its failures from every address, and only its', async () => {
    const target = await createAccount(server, 'reset');
    const bystander = await createAccount(server, 'bystander');
    for (const from of ['127.0.2.1', '127.0.2.2']) {
      for (let i = 0; i < 5; i++) await loginFrom(server, from, target.email, 'wrong-pw');
    }
    for (let i = 0; i < 5; i++) await loginFrom(server, '127.0.2.1', bystander.email, 'wrong-pw');
    expect((await loginFrom(server, '127.0.2.2', target.email, target.password)).outcome).toBe('throttled');

    await server.app.services.get(LoginGuard).forgetAccount(target.email);

    expect((await loginFrom(server, '127.0.2.1', target.email, target.password)).outcome).toBe('signed in');
    expect((await loginFrom(server, '127.0.2.2', target.email, target.password)).outcome).toBe('signed in');
    expect((await loginFrom(server, '127.0.2.1', bystander.email, bystander.password)).outcome).toBe(
      'throttled',
    );
  });

  describe('with short waits', () => {
    let quick: TestServer;

    beforeAll(async () => {
      // Another API process on the same database: the counters are shared through PostgreSQL.
      quick = await startTestServer({
        databaseUrl: server.databaseUrl,
        env: { LOGIN_FAILURES_BEFORE_BLOCK: '2', LOGIN_BLOCK_SECONDS: '1', LOGIN_MAX_BLOCK_SECONDS: '3' },
      });
    });
    afterAll(() => quick?.close());

    it('makes a pair wait longer after each further failure, up to the longest wait, then one attempt per wait', async () => {
      const { email, password } = await createAccount(server, 'progressive');
      const from = '127.0.3.1';
      const attempt = (secret = 'wrong-pw') => loginFrom(quick, from, email, secret);
      expect((await attempt()).outcome).toBe('wrong');
      expect((await attempt()).outcome).toBe('wrong');
      const waits: Array<number | undefined> = [];
      for (const wait of [1, 2, 3, 3]) {
        const refused = await attempt();
        expect(refused.outcome).toBe('throttled');
        waits.push(refused.retryAfterSeconds);
        await sleep(wait * 1000 + 150);
        expect((await attempt()).outcome).toBe('wrong');
      }
      expect(waits).toEqual([1, 2, 3, 3]);
      await sleep(3150);
      expect((await attempt(password)).outcome).toBe('signed in');
      // Afresh: two failures before the next wait.
      expect((await attempt()).outcome).toBe('wrong');
      expect((await attempt()).outcome).toBe('wrong');
      expect((await attempt()).outcome).toBe('throttled');
    });

    it('refuses a pair in every process once one process has throttled it', async () => {
      const { email, password } = await createAccount(server, 'shared');
      for (let i = 0; i < 5; i++) await loginFrom(server, '127.0.3.2', email, 'wrong-pw');
      const elsewhere = await loginFrom(quick, '127.0.3.2', email, password);
      expect(elsewhere.outcome).toBe('throttled');
      expect(elsewhere.retryAfterSeconds).toBeGreaterThan(3);
    });
  });
});
