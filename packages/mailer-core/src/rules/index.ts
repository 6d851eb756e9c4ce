// `@mail-providers/mailer-core/rules`: the provider rules for every place that judges settings, the
// browser included. Nothing imported from here may reach node: modules or nodemailer (a test checks).

export { MAX_ADDRESS_LENGTH, MAX_LOCAL_PART_LENGTH, MAX_SUBJECT_LENGTH, PROVIDER_LIMITS } from './limits';
export { hostProblem, isIpLiteral, isLoopbackHost } from './host';
export type { HostProblem } from './host';
export { PLACEHOLDER_SECRETS, isPlaceholder } from './placeholder';
export { isAddrSpec } from './address-spec';
export {
  CROSS_FIELD_RULES,
  PROVIDER_RULE_FIELDS,
  TEXT_FIELD_RULES,
  WARNING_RULES,
  isNoLoginRelay,
  providerRuleIssues,
  providerWarnings,
  reachedOverHttp,
  sendsNoPassword,
} from './provider-field-rules';
export type {
  CrossFieldRule,
  ProviderRuleCode,
  ProviderRuleContext,
  ProviderRuleFacts,
  ProviderRuleField,
  ProviderRuleInput,
  ProviderRuleIssue,
  ProviderRuleValues,
  ProviderWarning,
  ProviderWarningCode,
  SenderRuleInput,
  TextFieldRule,
} from './provider-field-rules';
export { providerRuleMessage, providerWarningMessage } from './messages';
export { API_VENDORS } from '../provider';
export type { ApiVendor, Encryption, ProviderType } from '../provider';
export { eventVendorOf } from './relay-hosts';
