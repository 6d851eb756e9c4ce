// A typed client for the Mail Providers API with Node.js's own fetch: sends one message with an API token
// and an idempotency key, repeats the call safely when the answer is lost or the server asks to wait,
// and polls the delivery until it is SENT or FAILED.
//
//   MP_URL=http://127.0.0.1:4000/graphql MP_TOKEN=… MP_TO=you@example.com node typescript-client.mjs
//
// Compile it with `tsc -p examples --noEmit false --outDir <folder>` (strict), or run it with a
// TypeScript runner. The token needs the SEND and READ scopes.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

type DeliveryStatus = 'QUEUED' | 'SENDING' | 'RETRYING' | 'SENT' | 'FAILED';

interface Delivery {
  id: string;
  status: DeliveryStatus;
  /** Null while QUEUED: set when the first round starts. */
  messageId: string | null;
  rounds: number;
  sentAt: string | null;
  deliveredByProviderName: string | null;
  failureReason: string | null;
  nextAttemptAt: string | null;
  attempts: Array<{
    providerName: string;
    outcome: 'SENT' | 'FAILED' | 'SKIPPED';
    failure: { category: string; hint: string } | null;
  }>;
}

interface EmailInput {
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  idempotencyKey?: string;
}

interface GraphQLErrorEntry {
  message: string;
  extensions?: {
    code?: string;
    retryAfterSeconds?: number;
    fields?: Array<{ field: string; message: string }>;
  };
}

/** An error the API answered, with its `extensions.code` (see docs/errors.md). */
class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code}: ${message}`);
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}

const url = process.env.MP_URL ?? 'http://127.0.0.1:4000/graphql';
const token = required('MP_TOKEN');

async function graphql<TData>(query: string, variables: Record<string, unknown>): Promise<TData> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: TData | null; errors?: GraphQLErrorEntry[] };
  const [first] = body.errors ?? [];
  if (first) {
    const code = first.extensions?.code ?? `HTTP_${response.status}`;
    throw new ApiError(code, first.message, first.extensions?.retryAfterSeconds);
  }
  if (!body.data) throw new ApiError(`HTTP_${response.status}`, 'The answer had no data.');
  return body.data;
}

const DELIVERY_FIELDS = `id status messageId rounds sentAt deliveredByProviderName failureReason nextAttemptAt
  attempts { providerName outcome failure { category hint } }`;

/**
 * sendEmail, repeated when repeating is safe: the idempotency key makes a repeat return the delivery the
 * first call created, so a lost answer, a 503 or a rate limit never sends the message twice.
 */
async function send(input: EmailInput & { idempotencyKey: string }, attempts = 5): Promise<Delivery> {
  for (let attempt = 1; ; attempt++) {
    try {
      const data = await graphql<{ sendEmail: Delivery }>(
        `mutation ($input: EmailInput!) { sendEmail(input: $input) { ${DELIVERY_FIELDS} } }`,
        { input },
      );
      return data.sendEmail;
    } catch (error) {
      const retryable =
        !(error instanceof ApiError) ||
        error.code === 'RATE_LIMITED' ||
        error.code === 'INTERNAL_SERVER_ERROR';
      if (!retryable || attempt >= attempts) throw error;
      const waitSeconds =
        error instanceof ApiError && error.retryAfterSeconds ? error.retryAfterSeconds : 2 ** attempt;
      console.warn(`send failed (${String(error)}); trying again in ${waitSeconds} s`);
      await sleep(waitSeconds * 1000);
    }
  }
}

async function waitForDelivery(id: string, timeoutMs: number): Promise<Delivery> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { delivery } = await graphql<{ delivery: Delivery | null }>(
      `query ($id: ID!) { delivery(id: $id) { ${DELIVERY_FIELDS} } }`,
      { id },
    );
    if (!delivery) throw new Error(`No delivery ${id}.`);
    if (delivery.status === 'SENT' || delivery.status === 'FAILED' || Date.now() > deadline) return delivery;
    await sleep(1000);
  }
}

const accepted = await send({
  to: [required('MP_TO')],
  subject: 'Hello from the TypeScript example',
  text: 'Sent through the Mail Providers API.',
  idempotencyKey: process.env.MP_IDEMPOTENCY_KEY ?? `ts-example-${randomUUID()}`,
});
console.log(`accepted: delivery ${accepted.id}, ${accepted.status}`);

const delivery = await waitForDelivery(accepted.id, Number(process.env.MP_WAIT_SECONDS ?? 60) * 1000);
for (const attempt of delivery.attempts) {
  console.log(
    `  ${attempt.providerName}: ${attempt.outcome}${attempt.failure ? ` (${attempt.failure.hint})` : ''}`,
  );
}
console.log(JSON.stringify(delivery));
process.exitCode = delivery.status === 'SENT' ? 0 : 1;
