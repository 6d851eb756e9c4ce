import { silentLogger } from '../src/logger';
import type { Encryption } from '../src/provider';
import type { Failure } from '../src/result';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import type { Timeouts, Transport } from '../src/transports/transport';
import { smtpProvider, testEnvelope } from './support/smtp-fixtures';
import { startSynDropListener, type SynDropListener } from './support/syn-drop-listener';

/** A short connect budget and long greeting and socket budgets, so that only the connect timer can end it. */
const TIMEOUTS: Timeouts = { connectMs: 1_000, greetingMs: 4_000, socketMs: 6_000 };

let listener: SynDropListener;
const transports: Transport[] = [];

beforeAll(async () => {
  listener = await startSynDropListener();
});

afterAll(async () => {
  await listener.close();
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
});

function transportFor(encryption: Encryption): Transport {
  const transport = createSmtpTransport(
    smtpProvider(listener, { encryption, username: 'app', password: 'not-sent-anywhere' }),
    { timeouts: TIMEOUTS, logger: silentLogger },
  );
  transports.push(transport);
  return transport;
}

/** The failure and how long it took to come. */
async function timed(run: () => Promise<Failure | undefined>): Promise<{ failure: Failure; ms: number }> {
  const started = performance.now();
  const failure = await run();
  if (failure === undefined) throw new Error('expected a failure');
  return { failure, ms: performance.now() - started };
}

describe('toward a server whose SYNs are dropped', () => {
  it.each([['none'], ['starttls'], ['ssl_tls']] as const)(
    '%s: send and verify fail at the connect stage within the connect budget, with the connect hint',
    async (encryption) => {
      const sent = await timed(async () => {
        const result = await transportFor(encryption).send(testEnvelope());
        return result.ok ? undefined : result.failure;
      });
      const verified = await timed(async () => {
        const outcome = await transportFor(encryption).verify();
        return outcome.ok ? undefined : outcome.failure;
      });

      for (const { failure, ms } of [sent, verified]) {
        expect(failure).toMatchObject({ category: 'TIMEOUT', stage: 'connect', fallback: true });
        expect(failure.hint.en).toContain('no TCP connection within the time limit');
        expect(failure.hint.en).not.toContain('never greeted');
        expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.connectMs - 50);
        expect(ms).toBeLessThan(TIMEOUTS.connectMs + 700);
      }
      expect(verified.failure.hint).toEqual(sent.failure.hint);
      expect(verified.failure.message).toBe(sent.failure.message);
    },
  );
});
