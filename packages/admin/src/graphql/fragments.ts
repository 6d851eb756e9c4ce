import { gql } from '@apollo/client/core';

export const FAILURE_FIELDS = gql`
  fragment FailureFields on Failure {
    category
    smtpCode
    enhancedCode
    httpStatus
    command
    vendorCode
    possibleDuplicate
    message
    hint
  }
`;

export const ATTEMPT_FIELDS = gql`
  fragment AttemptFields on DeliveryAttempt {
    providerId
    providerName
    startedAt
    durationMs
    outcome
    skippedReason
    failure {
      ...FailureFields
    }
  }
  ${FAILURE_FIELDS}
`;

export const VERIFICATION_FIELDS = gql`
  fragment VerificationFields on VerificationResult {
    ok
    checkedAt
    durationMs
    warnings
    failure {
      ...FailureFields
    }
  }
  ${FAILURE_FIELDS}
`;

export const TEST_EMAIL_FIELDS = gql`
  fragment TestEmailFields on TestEmailResult {
    ok
    messageId
    sentAt
    channel
    failure {
      ...FailureFields
    }
    deliveredBy {
      id
      name
    }
    attempts {
      ...AttemptFields
    }
  }
  ${ATTEMPT_FIELDS}
`;

/** A provider's OAuth2 registration and connection: no secret or token is ever read. */
export const OAUTH_CONNECTION_FIELDS = gql`
  fragment OAuthConnectionFields on OAuthConnection {
    flavour
    clientId
    clientSecretSet
    tenant
    authorizeUrl
    tokenUrl
    scopes
    connected
    account
    accessTokenExpiresAt
    lastRefreshAt
    lastError
  }
`;

export const PROVIDER_FIELDS = gql`
  fragment ProviderFields on Provider {
    id
    type
    name
    apiVendor
    host
    port
    username
    passwordSet
    authMethod
    oauth {
      ...OAuthConnectionFields
    }
    encryption
    fromEmail
    fromName
    serviceType
    status
    priority
    channel
    verifiedAt
    lastVerification {
      ...VerificationFields
    }
    lastTestEmail {
      ...TestEmailFields
    }
    health {
      state
      consecutiveFailures
      lastFailureAt
      openUntil
      cooldownUntil
      lastFailure {
        ...FailureFields
      }
    }
    createdAt
    updatedAt
  }
  ${VERIFICATION_FIELDS}
  ${TEST_EMAIL_FIELDS}
  ${OAUTH_CONNECTION_FIELDS}
`;
