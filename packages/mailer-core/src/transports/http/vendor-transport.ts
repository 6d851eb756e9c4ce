import { classifyFailure } from '../../classify';
import type { HttpEvidence } from '../../failure-evidence';
import type { Logger } from '../../logger';
import type { Envelope } from '../../message';
import type { ProviderConfig } from '../../provider';
import type { OutboundPolicy } from '../../outbound/outbound-policy';
import type { Failure, TransportResult } from '../../result';
import type { SendOptions, Timeouts, Transport, VerifyOutcome } from '../transport';
import {
  apiBaseUrl,
  createHttpClient,
  retryAfterMs,
  type HttpAnswer,
  type HttpNetworkFailure,
  type HttpOutcome,
  type OutgoingBytes,
} from './http-client';
import { recipientAddresses } from './mail-fields';
import {
  answerText,
  VENDOR_NAMES,
  type OutgoingBody,
  type RequestSpec,
  type VendorAdapter,
  type VendorProblem,
} from './vendor-adapter';

/** What every HTTP API transport needs besides its provider. */
export interface HttpTransportOptions {
  timeouts: Timeouts;
  logger: Logger;
  /** Which addresses requests may connect to. Default: every private network; never link-local or metadata. */
  outbound?: OutboundPolicy;
}

async function serialise(body: OutgoingBody): Promise<OutgoingBytes> {
  if (body.type === 'json') {
    return { bytes: Buffer.from(JSON.stringify(body.value)), contentType: 'application/json' };
  }
  // Response does the multipart encoding (boundary included) exactly as fetch would.
  const encoded = new Response(body.value);
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Advice about settings the HTTP transports cannot honour as an SMTP transport would. */
function configWarnings(provider: ProviderConfig): string[] {
  const warnings: string[] = [];
  if (provider.encryption === 'starttls') {
    warnings.push('STARTTLS does not apply to HTTP APIs: the API is called over HTTPS. Choose SSL/TLS.');
  }
  if (provider.encryption !== 'none' && provider.tls?.ca !== undefined) {
    warnings.push(
      'An extra CA is not applied to HTTP API calls; start Node with NODE_EXTRA_CA_CERTS pointing at the CA file instead.',
    );
  }
  if (provider.tls?.rejectUnauthorized === false) {
    warnings.push('Certificate checks stay on for HTTP API calls: rejectUnauthorized=false is ignored.');
  }
  return warnings;
}

/** Turns one vendor adapter into a Transport: request building, timeouts, answers and failures. */
export function createVendorTransport(
  adapter: VendorAdapter,
  provider: ProviderConfig,
  options: HttpTransportOptions,
): Transport {
  const client = createHttpClient({
    baseUrl: apiBaseUrl(provider),
    timeouts: options.timeouts,
    ...(options.outbound ? { policy: options.outbound } : {}),
  });
  const auth = adapter.authHeaders(provider.password);
  const secrets = [provider.password];
  const vendor = adapter.vendor;
  const logFields = { providerId: provider.id, provider: provider.name, vendor };

  async function exchange(spec: RequestSpec, signal: AbortSignal | undefined): Promise<HttpOutcome> {
    const body = spec.body ? await serialise(spec.body) : undefined;
    return client.request({
      method: spec.method,
      path: spec.path,
      headers: { ...spec.headers, ...auth },
      ...(body ? { body } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  function answerFailure(
    answer: HttpAnswer,
    problem: VendorProblem & { notVendorApi?: boolean },
    status = answer.status,
  ): Failure {
    const evidence: HttpEvidence = { kind: 'http', vendor, status, ...problem };
    const waitMs = retryAfterMs(answer.headers, answer.status);
    if (waitMs !== undefined) evidence.retryAfterMs = waitMs;
    return classifyFailure(evidence, secrets);
  }

  function networkFailure(failure: HttpNetworkFailure): Failure {
    return classifyFailure(
      {
        kind: 'http_network',
        vendor,
        ...failure,
        stage: failure.requestSent ? 'http_response' : 'http_request',
      },
      secrets,
    );
  }

  function logFailure(action: string, failure: Failure, startedAt: number): void {
    options.logger.warn(
      {
        ...logFields,
        category: failure.category,
        httpStatus: failure.httpStatus,
        vendorCode: failure.vendorCode,
        message: failure.message,
        durationMs: Date.now() - startedAt,
      },
      `${vendor} API ${action} failed`,
    );
  }

  return {
    async send(envelope: Envelope, sendOptions: SendOptions = {}): Promise<TransportResult> {
      const startedAt = Date.now();
      const spec = adapter.sendRequest(envelope);
      for (const note of spec.notes ?? []) options.logger.warn(logFields, note);
      const outcome = await exchange(spec, sendOptions.signal);
      if (outcome.kind === 'network') {
        const failure = networkFailure(outcome.failure);
        logFailure('send', failure, startedAt);
        return { ok: false, failure };
      }
      const { answer } = outcome;
      if (!isSuccess(answer.status)) {
        const failure = answerFailure(answer, adapter.problem(answer));
        logFailure('send', failure, startedAt);
        return { ok: false, failure };
      }
      const accepted = adapter.accepted(answer);
      options.logger.debug(
        {
          ...logFields,
          status: answer.status,
          providerMessageId: accepted.providerMessageId,
          durationMs: Date.now() - startedAt,
        },
        `${vendor} API accepted the message`,
      );
      return {
        ok: true,
        ...(accepted.providerMessageId ? { providerMessageId: accepted.providerMessageId } : {}),
        accepted: recipientAddresses(envelope),
        rejected: accepted.rejected ?? [],
      };
    },

    async verify(verifyOptions: SendOptions = {}): Promise<VerifyOutcome> {
      const startedAt = Date.now();
      const warnings = configWarnings(provider);
      const outcome = await exchange(adapter.verifyRequest(provider), verifyOptions.signal);
      if (outcome.kind === 'network') {
        // A verification delivers nothing, so a lost answer is never a possible duplicate.
        const failure = networkFailure({ ...outcome.failure, requestSent: false });
        logFailure('verification', failure, startedAt);
        return { ok: false, failure, warnings };
      }
      const { answer } = outcome;
      if (isSuccess(answer.status) && answer.json === undefined) {
        // Every vendor's verification call answers JSON: a success without it came from someone else.
        const message =
          answer.text.trim() === ''
            ? `Answered HTTP ${answer.status} with an empty body, where ${VENDOR_NAMES[vendor]}'s API answers JSON.`
            : answerText(answer, vendor);
        const failure = answerFailure(answer, { message, notVendorApi: true });
        logFailure('verification', failure, startedAt);
        return { ok: false, failure, warnings };
      }
      if (!isSuccess(answer.status) && answer.json === undefined && answer.text.trim() !== '') {
        // Not the vendor's format: the status alone decides, and it cannot make the verification pass.
        const failure = answerFailure(answer, adapter.problem(answer));
        logFailure('verification', failure, startedAt);
        return { ok: false, failure, warnings };
      }
      const verdict = adapter.judgeVerify(answer, provider);
      if (verdict.ok) return { ok: true, warnings: [...warnings, ...verdict.warnings] };
      const failure = answerFailure(
        outcome.answer,
        verdict.problem ?? adapter.problem(outcome.answer),
        verdict.status ?? outcome.answer.status,
      );
      logFailure('verification', failure, startedAt);
      return { ok: false, failure, warnings };
    },

    async close(): Promise<void> {
      client.close();
    },
  };
}
