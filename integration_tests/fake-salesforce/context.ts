/** What every route handler receives. */
import type { IncomingMessage } from 'node:http';
import type { Org } from './org';

export interface RequestContext {
  org: Org;
  req: IncomingMessage;
  /** Path parameters of the matched route (e.g. jobId, object, field). */
  params: Record<string, string>;
  /** API version from the URL, e.g. '62.0'. */
  version: string;
  query: URLSearchParams;
  /** Request body bytes counted so far (for the request log). */
  bodyBytes: number;
}
