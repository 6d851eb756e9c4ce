import { gql } from '@apollo/client/core';
import { ATTEMPT_FIELDS } from './fragments';

const DELIVERY_FIELDS = gql`
  fragment DeliveryFields on Delivery {
    id
    status
    channel
    to
    subject
    messageId
    deliveredBy {
      id
      name
    }
    attempts {
      ...AttemptFields
    }
    createdAt
    sentAt
    nextAttemptAt
  }
  ${ATTEMPT_FIELDS}
`;

export const DELIVERIES = gql`
  query Deliveries($first: Int, $after: String, $status: DeliveryStatus, $providerId: ID, $search: String) {
    deliveries(first: $first, after: $after, status: $status, providerId: $providerId, search: $search) {
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

export const DELIVERY = gql`
  query Delivery($id: ID!) {
    delivery(id: $id) {
      ...DeliveryFields
    }
  }
  ${DELIVERY_FIELDS}
`;

export const RETRY_DELIVERY = gql`
  mutation RetryDelivery($id: ID!) {
    retryDelivery(id: $id) {
      ...DeliveryFields
    }
  }
  ${DELIVERY_FIELDS}
`;
