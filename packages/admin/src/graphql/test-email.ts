import { gql } from '@apollo/client/core';
import { TEST_EMAIL_FIELDS } from './fragments';

export const SEND_TEST_EMAIL = gql`
  mutation SendTestEmail($to: String!, $providerId: ID, $channel: Channel) {
    sendTestEmail(to: $to, providerId: $providerId, channel: $channel) {
      ...TestEmailFields
    }
  }
  ${TEST_EMAIL_FIELDS}
`;
