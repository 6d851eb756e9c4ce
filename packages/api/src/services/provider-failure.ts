import type { Failure, VerifyResult } from '@mail-providers/mailer-core';
import { FAILURE_CATEGORY_LABELS } from '../alerts/alert-text';
import type { Locale } from '../entities/user.entity';
import { ProviderNotVerifiedError, type ExtensionValue } from '../errors';

/** A failure as `extensions.failure` carries it: the GraphQL Failure fields, the hint in the caller's language. */
export function failureExtension(failure: Failure, locale: Locale): { [key: string]: ExtensionValue } {
  const extension: { [key: string]: ExtensionValue } = {
    category: failure.category,
    smtpCode: failure.smtpCode ?? null,
    enhancedCode: failure.enhancedCode ?? null,
    httpStatus: failure.httpStatus ?? null,
    command: failure.command ?? null,
    vendorCode: failure.vendorCode ?? null,
    message: failure.message,
    hint: failure.hint[locale],
  };
  return extension;
}

/** Verification failed while saving an active provider: nothing was saved, and the caller learns why. */
export function notVerifiedOnSave(result: VerifyResult, locale: Locale): ProviderNotVerifiedError {
  const failure = result.failure;
  const reason = failure ? ` (${categoryWords(failure)}): ${stripPeriod(failure.hint[locale])}` : '';
  return new ProviderNotVerifiedError(
    `The connection check failed${reason}. Nothing was saved: correct the settings, or save the provider as INACTIVE.`,
    failure ? failureExtension(failure, locale) : null,
  );
}

/** Verification failed while activating a provider: it stays inactive, and the caller learns why. */
export function notVerifiedOnActivation(result: VerifyResult, locale: Locale): ProviderNotVerifiedError {
  const failure = result.failure;
  const reason = failure ? ` (${categoryWords(failure)}): ${stripPeriod(failure.hint[locale])}` : '';
  return new ProviderNotVerifiedError(
    `The connection check failed${reason}. The provider stays inactive: correct its settings, then activate it again.`,
    failure ? failureExtension(failure, locale) : null,
  );
}

/** Activation asked for a provider whose current settings have not passed a verification. */
export function notVerifiedForActivation(
  lastVerification: VerifyResult | null,
  locale: Locale,
): ProviderNotVerifiedError {
  const failure = lastVerification && !lastVerification.ok ? lastVerification.failure : undefined;
  const last = failure
    ? ` The last check failed (${categoryWords(failure)}): ${stripPeriod(failure.hint[locale])}.`
    : '';
  return new ProviderNotVerifiedError(
    `This provider’s current settings have not passed a connection check, so it cannot be activated.${last} Run "Verify connection" (verifyProvider) and activate it once that succeeds.`,
    failure ? failureExtension(failure, locale) : null,
  );
}

/** The category as the English sentences of these errors name it ("authentication failure"). */
function categoryWords(failure: Failure): string {
  return FAILURE_CATEGORY_LABELS.en[failure.category];
}

function stripPeriod(text: string): string {
  return text.trim().replace(/[.。]+$/, '');
}
