import { gql } from '@apollo/client/core';

const SUPPRESSION_FIELDS = gql`
  fragment SuppressionFields on Suppression {
    email
    channel
    source
    reason
    deliveryId
    createdBy
    createdAt
  }
`;

export const SUPPRESSIONS = gql`
  query Suppressions($first: Int!, $after: String, $search: String) {
    suppressions(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...SuppressionFields
      }
    }
  }
  ${SUPPRESSION_FIELDS}
`;

export const EXPORT_SUPPRESSIONS = gql`
  query ExportSuppressions {
    exportSuppressions
  }
`;

export const ADD_SUPPRESSION = gql`
  mutation AddSuppression($email: String!, $reason: String, $channel: Channel) {
    addSuppression(email: $email, reason: $reason, channel: $channel) {
      ...SuppressionFields
    }
  }
  ${SUPPRESSION_FIELDS}
`;

export const REMOVE_SUPPRESSION = gql`
  mutation RemoveSuppression($email: String!, $channel: Channel) {
    removeSuppression(email: $email, channel: $channel)
  }
`;

export const IMPORT_SUPPRESSIONS = gql`
  mutation ImportSuppressions($csv: String!) {
    importSuppressions(csv: $csv) {
      added
      alreadyListed
      errors {
        line
        message
      }
    }
  }
`;

/** Vendor events no delivery matched: shown beside the list the vendors' bounces feed. */
export const UNMATCHED_VENDOR_EVENTS = gql`
  query UnmatchedVendorEvents($first: Int!, $after: String) {
    unmatchedVendorEvents(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        vendor
        providerId
        providerName
        receivedAt
        vendorEventType
        eventType
        recipient
        vendorMessageId
        reason
      }
    }
  }
`;
