import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
  /** The status it was answered with (undefined: left hanging). */
  answeredWith: number | undefined;
}

/** What the receiver does with the next request: answer with a status (and body), or never answer. */
export type Answer = number | 'hang';

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Answers queued for the next requests, in order; when empty, `fallback` answers. */
  answers: Answer[];
  fallback: Answer;
  /** Requests answered with 2xx. */
  delivered(): ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as scripted. */
export async function startWebhookReceiver(answerBody = 'ok'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver: Omit<WebhookReceiver, 'url' | 'port'> & { url?: string; port?: number } = {
    requests,
    answers: [],
    fallback: 200,
    delivered: () => requests.filter((r) => r.answeredWith !== undefined && r.answeredWith < 300),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = receiver.answers.shift() ?? receiver.fallback;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      const record: ReceivedRequest = {
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith: answer === 'hang' ? undefined : answer,
      };
      requests.push(record);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer >= 300 ? `failure ${answer}: ${'x'.repeat(300)}` : answerBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { port, url: `http://127.0.0.1:${port}/hook` });
}
