import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { API_VENDORS, type ApiVendor, type ProviderConfig } from '../provider';
import { parseJson } from '../transports/http/json-fields';
import { brevoApi } from './vendors/brevo-api';
import {
  reasonOf,
  type EmulatedVendor,
  type Endpoint,
  type KeyAccess,
  type RecordedFile,
  type RecordedRequest,
  type Reply,
  type ScriptedFailure,
} from './vendors/emulated-vendor';
import { mailgunApi } from './vendors/mailgun-api';
import { postmarkApi } from './vendors/postmark-api';
import { resendApi } from './vendors/resend-api';
import { sendgridApi } from './vendors/sendgrid-api';
import { sparkpostApi } from './vendors/sparkpost-api';
import { zeptomailApi } from './vendors/zeptomail-api';

/** The shapes tests script and read. */
export type {
  FailureReason,
  KeyAccess,
  RecordedFile,
  RecordedRequest,
  ScriptedFailure,
} from './vendors/emulated-vendor';

const EMULATED: Record<ApiVendor, EmulatedVendor> = {
  zeptomail: zeptomailApi,
  sendgrid: sendgridApi,
  mailgun: mailgunApi,
  postmark: postmarkApi,
  resend: resendApi,
  brevo: brevoApi,
  sparkpost: sparkpostApi,
};

/** How the emulator starts. */
export interface VendorEmulatorOptions {
  /** Sender domains every vendor accepts (From's domain, Mailgun's path domain). Default: `example.com`. */
  verifiedDomains?: string[];
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

/** What the next request to a vendor meets instead of the normal answer. */
type Script =
  | { kind: 'fail'; failure: ScriptedFailure }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'drop' };

/**
 * One local HTTP server speaking the seven vendor APIs the engine supports (each on its own paths), with real
 * key checks, validation, sender-domain checks and the vendors' success and error shapes. Tests script
 * failures per vendor at run time and read every request it received.
 */
export interface VendorEmulator {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, or `https://` when started with `tls`. */
  readonly baseUrl: string;
  /** The API key the emulator accepts for a vendor (made at start, different for each vendor). */
  apiKey(vendor: ApiVendor): string;
  /** A provider that reaches this emulator for `vendor` (loopback; Encryption `none`, or `ssl_tls` with `tls`), ready to send. */
  provider(vendor: ApiVendor, overrides?: Partial<ProviderConfig>): ProviderConfig;
  /** Every request received, oldest first, optionally for one vendor and endpoint. */
  requests(vendor?: ApiVendor, endpoint?: Endpoint): RecordedRequest[];
  /** The vendor's next `times` requests fail as scripted (after the body is read, before the key is checked). */
  failNext(vendor: ApiVendor, failure: ScriptedFailure, times?: number): void;
  /** The vendor's next request is answered normally, but only after `ms`. */
  delayNext(vendor: ApiVendor, ms: number): void;
  /** The vendor's next request is read and never answered. */
  hangNext(vendor: ApiVendor): void;
  /** The vendor's next request is read, then the connection is dropped without an answer. */
  dropNext(vendor: ApiVendor): void;
  /** What the vendor's key may do from now on (default `full`). A `no_send` key is refused every send with 403. */
  setKeyAccess(vendor: ApiVendor, access: KeyAccess): void;
  /** Forgets scripts, key access changes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

function routeOf(method: string, path: string): { api: EmulatedVendor; endpoint: Endpoint } | undefined {
  for (const vendor of API_VENDORS) {
    const api = EMULATED[vendor];
    const endpoint = api.route(method, path);
    if (endpoint) return { api, endpoint };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** Parses JSON, urlencoded and multipart bodies; multipart through the platform's own FormData parser. */
async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ json?: unknown; form?: Record<string, string[]>; files: RecordedFile[] }> {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    const json = parseJson(raw.toString('utf8'));
    return json === undefined ? { files: [] } : { json, files: [] };
  }
  const form: Record<string, string[]> = {};
  const files: RecordedFile[] = [];
  const add = (name: string, value: string) => (form[name] ??= []).push(value);
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) add(name, value);
    return { form, files };
  }
  if (type === 'multipart/form-data') {
    const data = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [name, value] of data) {
      if (typeof value === 'string') {
        add(name, value);
      } else {
        files.push({
          field: name,
          filename: value.name,
          contentType: value.type,
          content: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { form, files };
  }
  return { files };
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(reply.body);
  } else if (reply.text !== undefined) {
    headers['content-type'] = 'text/plain';
    payload = reply.text;
  }
  response.writeHead(reply.status, headers);
  response.end(payload);
}

/** Starts the emulator on 127.0.0.1 and an ephemeral port. */
export async function startVendorEmulator(options: VendorEmulatorOptions = {}): Promise<VendorEmulator> {
  const keys = new Map<ApiVendor, string>(
    API_VENDORS.map((vendor) => [vendor, `test-${vendor}-${randomBytes(12).toString('hex')}`]),
  );
  const state = {
    verifiedDomains: new Set(
      (options.verifiedDomains ?? ['example.com']).map((domain) => domain.toLowerCase()),
    ),
  };
  const scripts = new Map<ApiVendor, Script[]>();
  const access = new Map<ApiVendor, KeyAccess>();
  const recorded: RecordedRequest[] = [];

  function queue(vendor: ApiVendor, script: Script, times = 1): void {
    const list = scripts.get(vendor) ?? [];
    for (let i = 0; i < times; i += 1) list.push(script);
    scripts.set(vendor, list);
  }

  function normalAnswer(api: EmulatedVendor, endpoint: Endpoint, request: RecordedRequest): Reply {
    const presented = api.credential(request.headers);
    if (presented === undefined || presented !== keys.get(api.vendor)) return api.unauthorized(presented);
    const keyAccess = access.get(api.vendor) ?? 'full';
    if (endpoint === 'verify') return api.verified(request, { ...state, access: keyAccess });
    if (keyAccess === 'no_send') return api.failure('auth', { status: 403 });
    const domain = api.senderDomain(request);
    if (domain !== undefined && !state.verifiedDomains.has(domain)) return api.senderNotVerified(domain);
    return api.validate(request) ?? api.accepted(request, randomUUID());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const raw = await readBody(req);
    const route = routeOf(method, path);
    if (!route) {
      send(res, { status: 404, body: { message: `No emulated API at ${method} ${path}` } });
      return;
    }
    const { api, endpoint } = route;
    const parsed = await parseBody(raw, req.headers['content-type'] ?? '');
    const request: RecordedRequest = {
      vendor: api.vendor,
      endpoint,
      method,
      path,
      headers: req.headers,
      raw,
      ...parsed,
      receivedAt: new Date(),
    };
    recorded.push(request);

    const script = scripts.get(api.vendor)?.shift();
    if (script?.kind === 'hang') return;
    if (script?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (script?.kind === 'fail') {
      send(res, api.failure(reasonOf(script.failure), script.failure));
      return;
    }
    if (script?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, script.ms));
    if (res.destroyed) return;
    send(res, normalAnswer(api, endpoint, request));
  }

  const listener: RequestListener = (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: String(error) } });
    });
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('The vendor emulator did not bind a TCP port.');
  const { port } = address;
  const host = '127.0.0.1';

  return {
    host,
    port,
    baseUrl: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    apiKey(vendor) {
      return keys.get(vendor) ?? '';
    },
    provider(vendor, overrides = {}) {
      return {
        id: `${vendor}-emulated`,
        type: 'api_smtp',
        name: `${vendor}-emulated`,
        apiVendor: vendor,
        host,
        port,
        username: '',
        password: keys.get(vendor) ?? '',
        encryption: options.tls ? 'ssl_tls' : 'none',
        fromEmail: `sender@${[...state.verifiedDomains][0] ?? 'example.com'}`,
        fromName: 'Emulated Sender',
        serviceType: 'primary',
        status: 'active',
        priority: 1,
        ...overrides,
      };
    },
    requests(vendor, endpoint) {
      return recorded.filter(
        (request) => (!vendor || request.vendor === vendor) && (!endpoint || request.endpoint === endpoint),
      );
    },
    failNext(vendor, failure, times = 1) {
      queue(vendor, { kind: 'fail', failure }, times);
    },
    delayNext(vendor, ms) {
      queue(vendor, { kind: 'delay', ms });
    },
    hangNext(vendor) {
      queue(vendor, { kind: 'hang' });
    },
    dropNext(vendor) {
      queue(vendor, { kind: 'drop' });
    },
    setKeyAccess(vendor, keyAccess) {
      access.set(vendor, keyAccess);
    },
    reset() {
      scripts.clear();
      access.clear();
      recorded.length = 0;
    },
    async close() {
      // Hung requests would otherwise keep the server open forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
