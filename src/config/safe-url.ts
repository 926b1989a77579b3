/**
 * The one rule for every URL the connector sends data or credentials to (the Salesforce login host,
 * the instance_url Salesforce answers with, an S3-compatible endpoint): https://, or plain http://
 * only to a loopback host (local stand-ins and tests); no user name or password inside the URL
 * (it would be printed in messages and logs, which only redact the config's secret keys).
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

export type UrlProblem = 'not_a_url' | 'scheme' | 'plain_http' | 'credentials';

/** The parsed URL, or what is wrong with it under the rule above. */
export function checkSafeUrl(text: string): { url: URL } | { problem: UrlProblem } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'not_a_url' };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return { problem: 'plain_http' };
  } else if (url.protocol !== 'https:' || !url.hostname) {
    return { problem: 'scheme' };
  }
  if (url.username || url.password) return { problem: 'credentials' };
  return { url };
}
