import { gql } from '@apollo/client/core';
import { ATTEMPT_FIELDS, FAILURE_FIELDS } from './fragments';

const DELIVERY_FIELDS = gql`
  fragment DeliveryFields on Delivery {
    id
    status
    channel
    to
    subject
    messageId
    rounds
    deliveredBy {
      id
      name
    }
    deliveredByProviderName
    rejectedRecipients {
      address
      smtpCode
      enhancedCode
      message
    }
    failure {
      ...FailureFields
    }
    failureReason
    attempts {
      ...AttemptFields
      round
    }
    createdAt
    sentAt
    nextAttemptAt
    finishedAt
  }
  ${ATTEMPT_FIELDS}
  ${FAILURE_FIELDS}
`;

export const DELIVERIES = gql`
  query Deliveries(
    $first: Int!
    $after: String
    $status: DeliveryStatus
    $providerId: ID
    $search: String
    $channel: Channel
    $from: DateTime
    $to: DateTime
  ) {
    deliveries(
      first: $first
      after: $after
      status: $status
      providerId: $providerId
      search: $search
      channel: $channel
      from: $from
      to: $to
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...DeliveryFields
      }
    }
  }
  ${DELIVERY_FIELDS}
`;

/** One delivery with the message itself, for its detail page. */
export const DELIVERY = gql`
  query Delivery($id: ID!) {
    delivery(id: $id) {
      ...DeliveryFields
      cc
      bcc
      replyTo
      text
      html
      headers {
        name
        value
      }
      resentFromId
      resentFrom {
        id
        subject
        createdAt
      }
      suppressedRecipients
      events {
        id
        type
        occurredAt
        recipient
        providerId
        providerName
        vendor
        bounceType
        reason
      }
    }
  }
  ${DELIVERY_FIELDS}
`;

export const RESEND_DELIVERY = gql`
  mutation ResendDelivery($id: ID!, $to: [String!]) {
    resendDelivery(id: $id, to: $to) {
      id
    }
  }
`;

export const RETRY_DELIVERY = gql`
  mutation RetryDelivery($id: ID!) {
    retryDelivery(id: $id) {
      ...DeliveryFields
    }
  }
  ${DELIVERY_FIELDS}
`;

export const DELIVERY_STATS = gql`
  query DeliveryStats($from: DateTime!, $to: DateTime!) {
    deliveryStats(from: $from, to: $to) {
      hour
      providerId
      providerName
      sent
      failed
    }
  }
`;

export const ALERTS = gql`
  query Alerts($first: Int!, $openOnly: Boolean) {
    alerts(first: $first, openOnly: $openOnly) {
      totalCount
      nodes {
        id
        kind
        code
        params {
          providerName
          deliveredByName
          category
          failures
          smtpCode
          enhancedCode
          httpStatus
        }
        providerId
        providerName
        message
        occurrences
        createdAt
        lastSeenAt
        resolvedAt
        webhookStatus
        failure {
          ...FailureFields
        }
      }
    }
  }
  ${FAILURE_FIELDS}
`;
