import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { createTestCertificate, type TestCertificate } from './test-certificate';

/** An SMTP reply the server gives instead of the normal one. `{address}` in the text becomes `<rcpt>`. */
export interface SmtpReply {
  code: number;
  message: string;
}

/** Replies real servers give (Postfix, SES, the RFCs), ready to script. */
export const SMTP_REPLIES = {
  connectUnavailable: { code: 421, message: 'mx.test Service not available, closing transmission channel' },
  connectRefused: { code: 554, message: 'No SMTP service here' },
  authInvalid: { code: 535, message: '5.7.8 Error: authentication failed: authentication failure' },
  authTemporary: { code: 454, message: '4.7.0 Temporary authentication failure' },
  xoauth2Invalid: { code: 535, message: '5.7.3 Authentication unsuccessful' },
  basicAuthDisabled: {
    code: 535,
    message:
      '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
  },
  basicAuthNotSupported: {
    code: 550,
    message: '5.7.30 Basic authentication is not supported for Client Submission.',
  },
  senderNotAllowed: { code: 550, message: '5.7.1 {address}: Sender address rejected: not owned by user' },
  mailFromLocalError: { code: 451, message: '4.3.0 Error: queue file write error' },
  userUnknown: {
    code: 550,
    message: '5.1.1 {address}: Recipient address rejected: User unknown in local recipient table',
  },
  tooManyRecipients: { code: 452, message: '4.5.3 Error: too many recipients' },
  relayDenied: { code: 554, message: '5.7.1 {address}: Relay access denied' },
  contentRejected: { code: 554, message: '5.6.0 Error: message content rejected' },
  messageTooBig: { code: 552, message: '5.3.4 Error: message file too big' },
  sesThrottling: { code: 454, message: 'Throttling failure: Maximum sending rate exceeded.' },
} as const satisfies Record<string, SmtpReply>;

/** What the server does wrong, stage by stage. Change it at any time; the next command sees the change. */
export interface SmtpFailureScript {
  /** Refuse the connection with this reply instead of a greeting. */
  connect?: SmtpReply;
  /** Wait this long before greeting. */
  greetingDelayMs?: number;
  /** Refuse every login, whatever the credentials. */
  auth?: SmtpReply;
  mailFrom?: SmtpReply;
  /** Refuse every recipient. */
  rcpt?: SmtpReply;
  /** Refuse these recipients only (address, case-insensitive). */
  rcptByAddress?: Record<string, SmtpReply>;
  /** Refuse the message after its content was received. */
  data?: SmtpReply;
  /** Receive the content in full, then cut the connection instead of answering: the client cannot know. */
  dropAfterData?: boolean;
  /**
   * Cut the connection without any reply when the client sends this command: `mailFrom` (MAIL FROM),
   * `rcpt` (the first RCPT TO) or `data` (the DATA command, before `354`). The content never went over,
   * so nothing is received.
   */
  dropAt?: SmtpDropStage;
}

/** A command at which `SmtpFailureScript.dropAt` cuts the connection instead of answering. */
export type SmtpDropStage = 'mailFrom' | 'rcpt' | 'data';

/** A message as the server received it, byte for byte. */
export interface ReceivedMessage {
  raw: Buffer;
  mailFrom: string;
  rcptTo: string[];
  /** The login the client used, when it logged in. */
  authUser?: string;
  /** The session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** False when the server cut the connection instead of confirming (see `dropAfterData`). */
  acknowledged: boolean;
  receivedAt: Date;
}

/** One login attempt the server saw. */
export interface LoginAttempt {
  method: string;
  username: string;
  ok: boolean;
}

/**
 * A server that offers only XOAUTH2, as Microsoft 365 and Google do for OAuth2 mailboxes. A refused token
 * is answered as Google does (`challenge`: a 334 with the error JSON, then 535 once the client answers it)
 * or as Microsoft does (`reply`: `535 5.7.3 Authentication unsuccessful` at once).
 */
export interface SmtpXOAuth2Options {
  /** Whether this access token is current for this mailbox. */
  isValid(user: string, accessToken: string): boolean;
  /** How a refused token is answered. Default `challenge`. */
  refusal?: 'challenge' | 'reply';
}

/** `plain`: no TLS offered; `starttls`: TLS offered through STARTTLS; `implicit_tls`: TLS from the first byte. */
export type SmtpTestSecurity = 'plain' | 'starttls' | 'implicit_tls';

export interface SmtpTestServerOptions {
  security?: SmtpTestSecurity;
  /** For the TLS modes; one is generated when absent (see `server.certificate`). */
  certificate?: TestCertificate;
  /** username → password. When absent or empty, the server offers no AUTH and takes mail from anyone. */
  users?: Record<string, string>;
  /** Offer XOAUTH2 only (and no PLAIN or LOGIN, whatever `users` says), and require a login. */
  xoauth2?: SmtpXOAuth2Options;
  /** Advertised SIZE limit in bytes; larger messages get `552`. */
  maxSize?: number;
  script?: SmtpFailureScript;
}

/** A real SMTP server on loopback for tests. */
export interface SmtpTestServer {
  readonly host: string;
  /** Stays the same across `stop()` and `start()`. */
  readonly port: number;
  readonly security: SmtpTestSecurity;
  /** The certificate in use (TLS modes), to trust it through a provider's `tls.ca`. */
  readonly certificate?: TestCertificate;
  /** Every message received, in order. */
  readonly messages: ReceivedMessage[];
  readonly logins: LoginAttempt[];
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** TCP connections open now. */
  readonly openConnections: number;
  /** The failures now in force. Assign a new script or call `fail`. */
  script: SmtpFailureScript;
  /** Adds failures to the script in force. */
  fail(failures: SmtpFailureScript): void;
  /** Back to a well-behaved server. */
  reset(): void;
  /** Resolves once `count` messages have been received, or rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Takes the server down: stops listening and cuts every connection. The port stays reserved for `start`. */
  stop(): Promise<void>;
  /** Brings it back on the same port. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}

/**
 * Starts a real SMTP server (npm `smtp-server`) on 127.0.0.1 and an ephemeral port, with AUTH PLAIN
 * and LOGIN for the given users (or XOAUTH2 alone, see `xoauth2`), the chosen TLS mode, and failures
 * scripted per stage.
 *
 * @example
 * const server = await startSmtpTestServer({ security: 'starttls', users: { ann: 'secret-at-runtime' } });
 * server.fail({ rcptByAddress: { 'nobody@example.com': SMTP_REPLIES.userUnknown } });
 * // ... send, then compare server.messages[0].raw
 * await server.close();
 */
export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const security = options.security ?? 'plain';
  const certificate =
    security === 'plain' ? options.certificate : (options.certificate ?? (await createTestCertificate()));
  const users = new Map(Object.entries(options.users ?? {}));
  const xoauth2 = options.xoauth2;
  const loginRequired = xoauth2 !== undefined || users.size > 0;
  const messages: ReceivedMessage[] = [];
  const logins: LoginAttempt[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const greetingTimers = new Set<NodeJS.Timeout>();
  let script: SmtpFailureScript = { ...options.script };
  let connectionCount = 0;
  let port = 0;
  let running: SMTPServer | undefined;

  const record = (message: ReceivedMessage): void => {
    messages.push(message);
    for (const wake of [...waiters]) wake();
  };

  /** The TCP socket under a session, found by the client's port (unique on loopback). */
  const dropSession = (session: SMTPServerSession): void => {
    for (const socket of sockets) {
      if (socket.remotePort === session.remotePort) socket.destroy();
    }
  };

  const serverOptions = (): SMTPServerOptions => {
    const base: SMTPServerOptions = {
      logger: false,
      disableReverseLookup: true,
      banner: 'mx.test ESMTP test server',
      closeTimeout: 100,
      size: options.maxSize,
      authMethods: xoauth2 ? ['XOAUTH2'] : users.size > 0 ? ['PLAIN', 'LOGIN'] : [],
      authOptional: !loginRequired,
      disabledCommands: loginRequired ? [] : ['AUTH'],
      onConnect(_session, callback) {
        const refusal = script.connect;
        const answer = (): void => callback(refusal ? replyError(refusal) : null);
        if (!script.greetingDelayMs) return answer();
        const timer = setTimeout(() => {
          greetingTimers.delete(timer);
          answer();
        }, script.greetingDelayMs);
        greetingTimers.add(timer);
      },
      onAuth(auth, _session, callback) {
        const username = auth.username ?? '';
        const scripted = script.auth;
        const valid = xoauth2
          ? auth.method === 'XOAUTH2' && xoauth2.isValid(username, auth.accessToken ?? '')
          : users.has(username) && users.get(username) === auth.password;
        const ok = scripted === undefined && valid;
        logins.push({ method: auth.method, username, ok });
        if (scripted) return callback(replyError(scripted));
        if (ok) return callback(null, { user: username });
        if (xoauth2?.refusal !== 'reply' && auth.method === 'XOAUTH2') {
          // No user: smtp-server sends this as a 334 challenge and refuses with 535 once answered.
          return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.test/' } });
        }
        callback(replyError(xoauth2 ? SMTP_REPLIES.xoauth2Invalid : SMTP_REPLIES.authInvalid));
      },
      onMailFrom(address, session, callback) {
        if (script.dropAt === 'mailFrom') return dropSession(session);
        callback(script.mailFrom ? replyError(script.mailFrom, address.address) : null);
      },
      onRcptTo(address, session, callback) {
        if (script.dropAt === 'rcpt') return dropSession(session);
        const byAddress = script.rcptByAddress ?? {};
        const match = Object.keys(byAddress).find(
          (key) => key.toLowerCase() === address.address.toLowerCase(),
        );
        const refusal = (match !== undefined ? byAddress[match] : undefined) ?? script.rcpt;
        callback(refusal ? replyError(refusal, address.address) : null);
      },
      onData(stream, session, callback) {
        // smtp-server calls this just before it answers DATA with 354; a socket cut now gets no answer.
        if (script.dropAt === 'data') return dropSession(session);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const drop = script.dropAfterData === true;
          const refusal = script.data;
          const message: ReceivedMessage = {
            raw: Buffer.concat(chunks),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            secure: session.secure,
            acknowledged: !drop && refusal === undefined,
            receivedAt: new Date(),
          };
          const user = session.user;
          if (typeof user === 'string') message.authUser = user;
          if (refusal === undefined || drop) record(message);
          if (drop) {
            dropSession(session);
            return;
          }
          callback(
            refusal ? replyError(refusal) : null,
            refusal ? undefined : `2.0.0 Ok: queued as ${queueId()}`,
          );
        });
      },
    };
    if (security === 'plain') {
      // Refuse STARTTLS outright, as a server without TLS does, rather than upgrade with a built-in certificate.
      return {
        ...base,
        hideSTARTTLS: true,
        allowInsecureAuth: true,
        disabledCommands: [...(base.disabledCommands ?? []), 'STARTTLS'],
      };
    }
    if (!certificate) throw new Error('smtp test server: a TLS mode needs a certificate');
    return { ...base, secure: security === 'implicit_tls', key: certificate.key, cert: certificate.cert };
  };

  const listen = async (): Promise<void> => {
    const server = new SMTPServer(serverOptions());
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      connectionCount += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    port = await listenOn(server, port);
    running = server;
  };

  const stop = async (): Promise<void> => {
    const server = running;
    running = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    server.close();
    for (const timer of greetingTimers) clearTimeout(timer);
    greetingTimers.clear();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  await listen();

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    security,
    certificate,
    messages,
    logins,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    get script() {
      return script;
    },
    set script(next: SmtpFailureScript) {
      script = { ...next };
    },
    fail(failures) {
      script = { ...script, ...failures };
    },
    reset() {
      script = {};
    },
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise<ReceivedMessage[]>((resolve, reject) => {
        const check = (): boolean => {
          if (messages.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages.slice(0, count));
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`smtp test server: ${messages.length} of ${count} messages after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop,
    start: async () => {
      if (!running) await listen();
    },
    close: stop,
  };
}

/** smtp-server answers an Error with its `responseCode` and message. */
function replyError(reply: SmtpReply, address?: string): Error & { responseCode: number } {
  const text = reply.message.replace('{address}', address !== undefined ? `<${address}>` : '<>');
  return Object.assign(new Error(text), { responseCode: reply.code });
}

let queueCounter = 0;
function queueId(): string {
  queueCounter += 1;
  return `T${Date.now().toString(36).toUpperCase()}${queueCounter}`;
}

/** Listens on `port` (0: any), retrying briefly when the port is still held after a stop. */
async function listenOn(server: SMTPServer, port: number): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await new Promise<number>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.server.once('error', onError);
        server.listen(port, '127.0.0.1', () => {
          server.server.off('error', onError);
          const address = server.server.address();
          if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
          else resolve(address.port);
        });
      });
    } catch (error) {
      if (attempt >= 20 || !(error instanceof Error) || !('code' in error) || error.code !== 'EADDRINUSE') {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
