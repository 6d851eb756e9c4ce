import { gql } from '@apollo/client/core';

export const WEBHOOK_DELIVERY_FIELDS = gql`
  fragment WebhookDeliveryFields on WebhookDelivery {
    id
    endpointId
    eventId
    eventType
    attempt
    status
    attemptedAt
    durationMs
    responseStatus
    responseBody
    error
    nextAttemptAt
  }
`;

const WEBHOOK_ENDPOINT_FIELDS = gql`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    description
    eventTypes
    format
    enabled
    language
    createdAt
    failingSince
    disabledReason
    lastDelivery {
      ...WebhookDeliveryFields
    }
  }
  ${WEBHOOK_DELIVERY_FIELDS}
`;

export const WEBHOOK_ENDPOINTS = gql`
  query WebhookEndpoints {
    webhookEndpoints {
      ...WebhookEndpointFields
    }
  }
  ${WEBHOOK_ENDPOINT_FIELDS}
`;

/** One endpoint's attempts, newest first. */
export const WEBHOOK_DELIVERIES = gql`
  query WebhookDeliveries($endpointId: ID!, $first: Int!, $after: String) {
    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...WebhookDeliveryFields
      }
    }
  }
  ${WEBHOOK_DELIVERY_FIELDS}
`;

export const CREATE_WEBHOOK_ENDPOINT = gql`
  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      signingSecret
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
  ${WEBHOOK_ENDPOINT_FIELDS}
`;

export const UPDATE_WEBHOOK_ENDPOINT = gql`
  mutation UpdateWebhookEndpoint($id: ID!, $input: WebhookEndpointUpdateInput!) {
    updateWebhookEndpoint(id: $id, input: $input) {
      ...WebhookEndpointFields
    }
  }
  ${WEBHOOK_ENDPOINT_FIELDS}
`;

export const DELETE_WEBHOOK_ENDPOINT = gql`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`;

export const ROTATE_WEBHOOK_SECRET = gql`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      signingSecret
      endpoint {
        ...WebhookEndpointFields
      }
    }
  }
  ${WEBHOOK_ENDPOINT_FIELDS}
`;

export const SEND_TEST_WEBHOOK = gql`
  mutation SendTestWebhook($id: ID!) {
    sendTestWebhook(id: $id) {
      ...WebhookDeliveryFields
    }
  }
  ${WEBHOOK_DELIVERY_FIELDS}
`;
