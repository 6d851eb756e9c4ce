import type { Failure } from '@mail-providers/mailer-core';
import type { AlertKind } from '../entities/alert-event.entity';
import type { Logger } from '../logger';
import type { AlertCode, AlertParams } from './alert-text';

/**
 * What the webhook receives: the alert (its code and the facts it is rendered from, and the English text),
 * the provider it is about, and the failure with its hint.
 */
export interface AlertPayload {
  id: string;
  kind: AlertKind;
  code: AlertCode;
  params: AlertParams;
  providerId: string;
  providerName: string;
  message: string;
  failure: Pick<Failure, 'category' | 'smtpCode' | 'enhancedCode' | 'httpStatus' | 'message' | 'hint'> | null;
  occurredAt: string;
}

export interface AlertWebhookOptions {
  url: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * POSTs an alert as JSON. Never throws: an unreachable receiver is logged and reported back as the
 * delivery status to store on the event, so an outage of the alerting side cannot break sending.
 */
export async function postAlert(payload: AlertPayload, options: AlertWebhookOptions): Promise<string> {
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'mail-providers-alerts' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    // The receiver's body is of no use here; drain it so the connection is released.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return 'sent';
    options.logger.warn(
      { alertId: payload.id, status: response.status },
      'alert webhook answered with an error',
    );
    return `failed: HTTP ${response.status}`;
  } catch (error) {
    const name = field(error, 'name');
    const reason =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${options.timeoutMs} ms`
        : describeNetworkError(error);
    options.logger.warn({ alertId: payload.id, reason }, 'alert webhook could not be delivered');
    return `failed: ${reason}`;
  }
}

// Errors from fetch may come from another realm (test sandboxes), so they are read by shape, not instanceof.
function describeNetworkError(error: unknown): string {
  const message = field(error, 'message') ?? String(error);
  const code = field(property(error, 'cause'), 'code');
  return code ? `${message} (${code})` : message;
}

function property(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  return Reflect.get(value, key);
}

function field(value: unknown, key: string): string | undefined {
  const found = property(value, key);
  return typeof found === 'string' ? found : undefined;
}
