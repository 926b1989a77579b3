/** The fake Salesforce: public entry point. See README.md. */
export type {
  FakeSalesforceOptions,
  FakeCredentials,
  FakeRequestLog,
  FakeJob,
  FaultSpec,
  JobFailure,
  FakeSalesforce,
  RouteName,
  ResultEcho,
} from './types';
export { startFakeSalesforce } from './fake';
