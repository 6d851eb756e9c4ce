import { defineVendor, header, type Reply } from './emulated-vendor';

/** Mailgun's `{ message }` body; a wrong key gets a bare text answer instead. */
function mailgunError(
  status: number,
  message: string,
  form: 'json' | 'text' = 'json',
  headers: Record<string, string> = {},
): Reply {
  return form === 'text' ? { status, text: message } : { status, headers, body: { message } };
}

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
export const mailgunApi = defineVendor<'json' | 'text'>({
  vendor: 'mailgun',
  paths: { send: SEND_PATH, verify: DOMAIN_PATH },
  credential(headers) {
    const value = header(headers, 'authorization');
    if (!value?.toLowerCase().startsWith('basic ')) return undefined;
    const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
    return decoded.startsWith('api:') ? decoded.slice(4) : undefined;
  },
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
  error: mailgunError,
  failures: {
    auth: { status: 401, message: 'Forbidden', detail: 'text' },
    sender_not_verified: { status: 404, message: 'Domain not found', detail: 'json' },
    validation: { status: 400, message: "'to' parameter is missing", detail: 'json' },
    rate_limit: { status: 429, message: 'Too many requests', detail: 'json', wait: true },
    quota: { status: 429, message: 'Domain sending limit exceeded', detail: 'json', wait: true },
    unavailable: { status: 503, message: 'Service Unavailable', detail: 'json' },
    inactive_recipient: {
      status: 400,
      message: 'to parameter is not a valid address. please check documentation',
      detail: 'json',
    },
  },
});
