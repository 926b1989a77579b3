/**
 * Turns the `domain` / `is_sandbox` config keys into the URL tokens are requested from.
 * Accepts what Mage (simple-salesforce `domain`), Airbyte (`is_sandbox`) and people write:
 *   login | test | acme | acme--uat | acme.my | acme.my.salesforce.com | https://acme.my.salesforce.com[/...]
 * Plain http:// is refused unless the host is loopback, before any request is sent.
 */
import { checkSafeUrl } from '../config/safe-url';
import { configError } from '../errors';

export { isLoopbackHost } from '../config/safe-url';

export interface LoginTarget {
  /** Origin only, no trailing slash, e.g. https://login.salesforce.com */
  loginUrl: string;
  /** False for login.salesforce.com and test.salesforce.com. */
  isMyDomain: boolean;
}

const LOGIN = 'https://login.salesforce.com';
const TEST = 'https://test.salesforce.com';
const GENERIC_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function resolveLoginTarget(domain: string | undefined, isSandbox = false): LoginTarget {
  const given = (domain ?? '').trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) return target(fromUrl(given));
  const raw = given.replace(/\/+$/, '');
  const lower = raw.toLowerCase();
  if (raw === '' || lower === 'login') return target(isSandbox ? TEST : LOGIN);
  if (lower === 'test') return target(TEST);
  if (!raw.includes('.') && !raw.includes(':')) {
    if (!LABEL.test(raw)) throw badDomain(raw);
    // A sandbox My Domain is <name>--<sandbox>.sandbox.my.salesforce.com.
    return target(`https://${lower}${lower.includes('--') ? '.sandbox' : ''}.my.salesforce.com`);
  }
  // simple-salesforce style: "acme.my" / "acme--uat.sandbox.my" + ".salesforce.com".
  if (/\.my$/i.test(raw)) return target(fromUrl(`https://${raw}.salesforce.com`));
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(raw)) throw badDomain(raw);
  return target(fromUrl(`https://${raw}`));
}

function fromUrl(text: string): string {
  const checked = checkSafeUrl(text);
  if ('url' in checked) return checked.url.origin;
  switch (checked.problem) {
    case 'plain_http':
      throw configError(
        `Config validation error: 'domain' uses plain http:// for ${new URL(text).host}; Salesforce must be reached over https:// ` +
          '(http:// is only accepted for loopback hosts such as 127.0.0.1 or localhost).',
      );
    case 'credentials':
      throw configError("Config validation error: 'domain' must not contain a user name or password.");
    default:
      throw badDomain(text);
  }
}

function target(loginUrl: string): LoginTarget {
  const host = new URL(loginUrl).hostname.toLowerCase();
  return { loginUrl, isMyDomain: !GENERIC_HOSTS.has(host) };
}

function badDomain(value: string) {
  return configError(
    `Config validation error: 'domain' must be "login", "test", a My Domain name (e.g. "acme"), a host or an https:// URL; got "${value}".`,
  );
}
