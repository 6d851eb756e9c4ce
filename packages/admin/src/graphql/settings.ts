import { gql } from '@apollo/client/core';

const SETTINGS_FIELDS = gql`
  fragment SettingsFields on Settings {
    deliveryRetentionDays
    defaultDeliveryRetentionDays
  }
`;

export const SETTINGS = gql`
  query Settings {
    settings {
      ...SettingsFields
    }
  }
  ${SETTINGS_FIELDS}
`;

export const SET_DELIVERY_RETENTION = gql`
  mutation SetDeliveryRetention($days: Int!) {
    setDeliveryRetention(days: $days) {
      ...SettingsFields
    }
  }
  ${SETTINGS_FIELDS}
`;
