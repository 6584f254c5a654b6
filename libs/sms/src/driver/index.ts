export {
  type ConfigProblem,
  type SmsDriverContext,
  type SmsDriverDefinition,
} from '../providers/driver-definition';
export {
  commonConfigProblems,
  HTTP_CONFIG_FIELDS,
  providerConfigProblems,
  SHARED_CONFIG_FIELDS,
  type SmsDriverClassFields,
} from '../providers/common-config';
