import { startTestServer, type TestServer } from './support/test-server';

type Mode = 'api' | 'worker' | 'all';

/** What each MODE answers over HTTP, and where it runs a delivery worker (MODE: api, worker, all). */
const MODES: Array<[Mode, { graphql: number; panel: number; deliveryWorker: 'none' | 'main-thread' }]> = [
  ['api', { graphql: 200, panel: 200, deliveryWorker: 'none' }],
  ['worker', { graphql: 404, panel: 404, deliveryWorker: 'main-thread' }],
  // Started in-process, without the thread's entry: the worker stays on the one thread.
  ['all', { graphql: 200, panel: 200, deliveryWorker: 'main-thread' }],
];

describe.each(MODES)('MODE=%s', (mode, expected) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MODE: mode } });
  });
  afterAll(() => server.close());

  it(`answers GraphQL with ${expected.graphql}`, async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(expected.graphql);
    const body: unknown = await response.json();
    if (expected.graphql === 200) expect(body).toEqual({ data: { __typename: 'Query' } });
    else expect(JSON.stringify(body)).toContain('NOT_FOUND');
  });

  it(`answers the panel at / with ${expected.panel}`, async () => {
    const response = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(expected.panel);
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      database: true,
      deliveryWorker: expected.deliveryWorker,
    });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_requests_total');
  });

  const runsWorker = expected.deliveryWorker !== 'none';
  it(runsWorker ? 'runs a delivery worker' : 'runs no delivery worker', () => {
    const started = server.logs.filter((line) => line.includes('"msg":"delivery worker started"'));
    expect(started).toHaveLength(runsWorker ? 1 : 0);
  });
});
