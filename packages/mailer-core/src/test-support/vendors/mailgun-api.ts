import {
  header,
  retryAfterHeader,
  statusFor,
  type EmulatedVendor,
  type FailureReason,
  type Reply,
  type ScriptedFailure,
} from './emulated-vendor';

function mailgunError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { message } };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  // A wrong key gets a bare text answer, not JSON.
  auth: (s) => ({ status: statusFor(s, 401), text: s.message ?? 'Forbidden' }),
  sender_not_verified: (s) => mailgunError(statusFor(s, 404), s.message ?? 'Domain not found'),
  validation: (s) => mailgunError(statusFor(s, 400), s.message ?? "'to' parameter is missing"),
  rate_limit: (s) => mailgunError(statusFor(s, 429), s.message ?? 'Too many requests', retryAfterHeader(s)),
  quota: (s) =>
    mailgunError(statusFor(s, 429), s.message ?? 'Domain sending limit exceeded', retryAfterHeader(s)),
  unavailable: (s) => mailgunError(statusFor(s, 503), s.message ?? 'Service Unavailable'),
  inactive_recipient: (s) =>
    mailgunError(
      statusFor(s, 400),
      s.message ?? 'to parameter is not a valid address. please check documentation',
    ),
};

const SEND_PATH = /^\/v3\/([^/]+)\/messages$/;
const DOMAIN_PATH = /^\/v4\/domains\/([^/]+)$/;

function pathDomain(path: string, pattern: RegExp): string | undefined {
  const found = path.match(pattern)?.[1];
  return found ? decodeURIComponent(found).toLowerCase() : undefined;
}

function first(request: { form?: Record<string, string[]> }, field: string): string | undefined {
  return request.form?.[field]?.[0];
}

/** Mailgun: `POST /v3/{domain}/messages` (multipart or urlencoded), `GET /v4/domains/{domain}`, Basic `api:<key>`. */
export const mailgunApi: EmulatedVendor = {
  vendor: 'mailgun',
  route(method, path) {
    if (method === 'POST' && SEND_PATH.test(path)) return 'send';
    if (method === 'GET' && DOMAIN_PATH.test(path)) return 'verify';
    return undefined;
  },
  credential(headers) {
    const value = header(headers, 'authorization');
    if (!value?.toLowerCase().startsWith('basic ')) return undefined;
    const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
    return decoded.startsWith('api:') ? decoded.slice(4) : undefined;
  },
  unauthorized: () => FAILURES.auth({}),
  senderDomain: (request) => pathDomain(request.path, SEND_PATH),
  validate(request) {
    if (!request.form) return mailgunError(400, 'Expected a form body');
    if (!first(request, 'from')) return mailgunError(400, "'from' parameter is missing");
    if (!first(request, 'to')) return mailgunError(400, "'to' parameter is missing");
    if (!first(request, 'subject')) return mailgunError(400, "'subject' parameter is missing");
    if (!first(request, 'text') && !first(request, 'html')) {
      return mailgunError(
        400,
        "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified",
      );
    }
    return undefined;
  },
  senderNotVerified: (domain) => mailgunError(404, `Domain not found: ${domain}`),
  accepted: (request, id) => ({
    status: 200,
    body: {
      id: `<${id}@${pathDomain(request.path, SEND_PATH) ?? 'mailgun.test'}>`,
      message: 'Queued. Thank you.',
    },
  }),
  verified(request, state) {
    const domain = pathDomain(request.path, DOMAIN_PATH) ?? '';
    if (!state.verifiedDomains.has(domain)) return mailgunError(404, 'Domain not found');
    return {
      status: 200,
      body: { domain: { name: domain, state: 'active', type: 'custom' }, sending_dns_records: [] },
    };
  },
  failure: (reason, script) => FAILURES[reason](script),
};
