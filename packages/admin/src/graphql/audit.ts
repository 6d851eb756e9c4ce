import { gql } from '@apollo/client/core';

export const AUDIT_LOG = gql`
  query AuditLog($first: Int!, $after: String, $entityId: ID) {
    auditLog(first: $first, after: $after, entityId: $entityId) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        at
        actor
        action
        entityType
        entityId
        fields
      }
    }
  }
`;
