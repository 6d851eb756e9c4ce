// Sends one message through the Mail Providers API and waits until it is delivered, with Node.js's own
// fetch and nothing else: sign in (or use an API token), send with an idempotency key, poll the delivery.
//
//   MP_URL=http://127.0.0.1:4000/graphql MP_EMAIL=admin@localhost MP_PASSWORD=… MP_TO=you@example.com \
//     node examples/node-client.mjs
//
// With MP_TOKEN set (a token with the SEND and READ scopes) it sends with the token instead of signing in.
// Exits 0 once the message is SENT, 1 if it FAILED or is still on its way after MP_WAIT_SECONDS (60).

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.MP_URL ?? 'http://127.0.0.1:4000/graphql';
const recipient = required('MP_TO');
const waitSeconds = Number(process.env.MP_WAIT_SECONDS ?? 60);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}

/** One GraphQL call. Throws with the API's code and message when it answers errors. */
async function graphql(query, variables, headers) {
  const response = await globalThis.fetch(url, {
    method: 'POST',
    // JSON, always: the server refuses form-encoded and plain-text bodies (cross-site request forgery).
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) {
    const [first] = body.errors;
    const error = new Error(`${first.extensions?.code ?? `HTTP ${response.status}`}: ${first.message}`);
    error.code = first.extensions?.code;
    throw error;
  }
  return { data: body.data, response };
}

/** The headers that authenticate every later call: the token, or the session cookie `login` sets. */
async function authenticate() {
  if (process.env.MP_TOKEN) return { authorization: `Bearer ${process.env.MP_TOKEN}` };
  const { data, response } = await graphql(
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { email } }',
    { email: required('MP_EMAIL'), password: required('MP_PASSWORD') },
  );
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  console.log(`signed in as ${data.login.email}`);
  return { cookie };
}

const SEND = `mutation ($input: EmailInput!) {
  sendEmail(input: $input) { id status messageId }
}`;

const DELIVERY = `query ($id: ID!) {
  delivery(id: $id) {
    id status messageId rounds sentAt deliveredByProviderName failureReason nextAttemptAt
    attempts { providerName outcome failure { category hint } }
  }
}`;

const headers = await authenticate();

// Your own id for this message: repeating the call with it (say, after a timeout) returns the same
// delivery instead of sending twice.
const idempotencyKey = process.env.MP_IDEMPOTENCY_KEY ?? `node-example-${randomUUID()}`;
const { data: sent } = await graphql(
  SEND,
  {
    input: {
      to: [recipient],
      subject: 'Hello from the Node.js example',
      text: 'Sent through the Mail Providers API.',
      idempotencyKey,
    },
  },
  headers,
);
console.log(`accepted: delivery ${sent.sendEmail.id}, ${sent.sendEmail.status}`);

// QUEUED → SENDING → SENT, or RETRYING between rounds while every provider fails, or FAILED.
const deadline = Date.now() + waitSeconds * 1000;
let delivery;
for (;;) {
  ({ delivery } = (await graphql(DELIVERY, { id: sent.sendEmail.id }, headers)).data);
  if (delivery.status === 'SENT' || delivery.status === 'FAILED' || Date.now() > deadline) break;
  await sleep(1000);
}

console.log(JSON.stringify(delivery));
process.exitCode = delivery.status === 'SENT' ? 0 : 1;
