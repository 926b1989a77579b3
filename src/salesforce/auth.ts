/**
 * Signs in with the flow the config names (refresh token, username/password via the OAuth password
 * grant or SOAP login(), client credentials, JWT bearer) and returns a session. Tokens carry no
 * expiry, so http-client calls this again on 401 INVALID_SESSION_ID. Nothing is written to disk.
 */
import type { Dispatcher } from 'undici';
import { usesSoapLogin } from '../config/auth-config';
import { checkSafeUrl } from '../config/safe-url';
import type { AuthConfig, DestinationConfig } from '../config/destination-config';
import { ConnectorError, configError, systemError, transientError } from '../errors';
import type { Session } from './http-client';
import { buildJwtAssertion, jwtAudience } from './jwt-assertion';
import { isRetryableStatus, retryPolicy, type RetryPolicy } from './retry-policy';
import { networkErrorCode, unreachableError } from './salesforce-errors';
import { OAuthRefusal, requestToken, type TokenResponse } from './token-client';

export interface AuthDeps {
  retry?: Partial<RetryPolicy>;
  dispatcher?: Dispatcher;
  /**
   * Salesforce answered a refresh_token grant with a new refresh token (rotation is on, and the old one
   * is now revoked): later sign-ins use the new one, and the caller must have Airbyte store it.
   */
  onRefreshTokenRotated?: (refreshToken: string) => void;
}

export type SignIn = () => Promise<Session>;

export function createSignIn(config: DestinationConfig, deps: AuthDeps = {}): SignIn {
  const opts = { policy: retryPolicy({ maxAttempts: 3, ...deps.retry }), ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}) };
  const { auth, loginUrl } = config;
  const grantWithResponse = async (params: Record<string, string>): Promise<{ session: Session; response: TokenResponse }> => {
    try {
      const response = await requestToken(loginUrl, params, opts);
      return { session: toSession(response), response };
    } catch (err) {
      throw err instanceof OAuthRefusal ? refusalError(auth, err, loginUrl) : err;
    }
  };
  const grant = async (params: Record<string, string>): Promise<Session> => (await grantWithResponse(params)).session;
  switch (auth.type) {
    case 'oauth2_refresh_token': {
      let refreshToken = need(auth.refreshToken);
      return async () => {
        const { session, response } = await grantWithResponse({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: need(auth.clientId),
          ...(auth.clientSecret ? { client_secret: auth.clientSecret } : {}),
        });
        const rotated = response.refresh_token;
        if (typeof rotated === 'string' && rotated !== '' && rotated !== refreshToken) {
          refreshToken = rotated;
          deps.onRefreshTokenRotated?.(rotated);
        }
        return session;
      };
    }
    case 'client_credentials':
      return () => grant({ grant_type: 'client_credentials', client_id: need(auth.clientId), client_secret: need(auth.clientSecret) });
    case 'jwt_bearer':
      return () =>
        grant({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: buildJwtAssertion(need(auth.privateKey), {
            clientId: need(auth.clientId),
            username: need(auth.username),
            audience: jwtAudience(loginUrl),
          }),
        });
    case 'username_password': {
      const password = need(auth.password) + (auth.securityToken ?? '');
      if (usesSoapLogin(auth)) return () => soapLogin(loginUrl, config.apiVersion, need(auth.username), password);
      return () =>
        grant({
          grant_type: 'password',
          client_id: need(auth.clientId),
          client_secret: need(auth.clientSecret),
          username: need(auth.username),
          password,
        });
    }
  }
}

function toSession(res: TokenResponse): Session {
  return { accessToken: res.access_token, instanceUrl: checkedInstanceUrl(res.instance_url) };
}

/** Data calls go to instance_url: https only (plain http only for a loopback stand-in). */
function checkedInstanceUrl(value: string): string {
  const checked = checkSafeUrl(value);
  if ('url' in checked) return checked.url.origin;
  if (checked.problem === 'not_a_url') throw systemError('Salesforce returned an instance_url that is not a URL.');
  throw systemError('Salesforce returned an instance_url that is not a plain https:// URL; refusing to send the token there.');
}

async function soapLogin(loginUrl: string, apiVersion: string, username: string, password: string): Promise<Session> {
  // Loaded only for this flow: jsforce takes ~0.3 s to load, which every OAuth sync would pay at start.
  const { Connection } = await import('@jsforce/jsforce-node');
  const conn = new Connection({ loginUrl, version: apiVersion });
  try {
    await conn.loginBySoap(username, password);
  } catch (err) {
    const code = networkErrorCode(err);
    if (code) throw unreachableError(new URL(loginUrl).host, code, 'Salesforce login', 'config');
    throw soapError((err as Error).message ?? String(err), loginUrl);
  }
  if (!conn.accessToken || !conn.instanceUrl) throw systemError('SOAP login() returned no session id or server URL.');
  return { accessToken: conn.accessToken, instanceUrl: checkedInstanceUrl(conn.instanceUrl) };
}

function soapError(message: string, loginUrl: string): ConnectorError {
  const said = ` Salesforce said: ${message.slice(0, 300)}`;
  if (/INVALID_LOGIN|LOGIN_MUST_USE_SECURITY_TOKEN|PASSWORD_LOCKOUT|password has expired/i.test(message)) {
    return configError(
      "Salesforce refused the username/password login (SOAP login()): check 'username', 'password' and 'security_token' " +
        `(the security token is needed unless the login IP is trusted) and that the user is not locked out.${said}`,
    );
  }
  if (/API_DISABLED|API_CURRENTLY_DISABLED|UNSUPPORTED_API_VERSION|INVALID_OPERATION/i.test(message)) {
    return configError(`Salesforce refused SOAP login() at ${loginUrl}: SOAP login may be disabled for this org or API version; use OAuth (client_id/client_secret).${said}`);
  }
  return transientError(`SOAP login() at ${loginUrl} failed.${said}`);
}

/** Turns an OAuth refusal into a message naming what to fix for this flow. */
function refusalError(auth: AuthConfig, r: OAuthRefusal, loginUrl: string): ConnectorError {
  const said = r.description ? ` Salesforce said: ${r.error}: ${r.description}` : ` Salesforce said: ${r.error}`;
  if (isRetryableStatus(r.status) || r.status >= 500) return transientError(`Salesforce's token endpoint at ${loginUrl} kept failing (HTTP ${r.status}).${said}`);
  if (r.status === 404) return configError(`There is no Salesforce token endpoint at ${loginUrl}: check 'domain'.${said}`);
  const desc = r.description.toLowerCase();
  if (r.error === 'invalid_client_id') {
    return configError(`Salesforce does not know the 'client_id': use the consumer key of the connected app (External Client App).${said}`);
  }
  if (r.error === 'invalid_client') {
    return configError(`Salesforce refused the 'client_id' / 'client_secret' pair: check the connected app's consumer key and secret.${said}`);
  }
  if (r.error === 'unsupported_grant_type') {
    return configError(`Salesforce does not allow this sign-in flow (${auth.type}) for this app at ${loginUrl}.${said}`);
  }
  if (r.error === 'invalid_grant' && desc.includes('already being processed')) {
    return transientError(`Salesforce was already processing a token request for these credentials; retry shortly.${said}`);
  }
  switch (auth.type) {
    case 'oauth2_refresh_token':
      return configError(
        `Salesforce refused the refresh token (expired or revoked): create a new one for this connected app and set it as 'refresh_token' ` +
          `(check also that 'client_id' belongs to the app that issued it, and 'domain'/'is_sandbox').${said}`,
      );
    case 'username_password':
      return configError(
        "Salesforce refused the OAuth username/password sign-in: check 'username', 'password' and 'security_token' (appended to the password " +
          `unless the login IP is trusted), and that the org allows the OAuth username-password flow.${said}`,
      );
    case 'client_credentials':
      if (desc.includes('not supported on this domain')) {
        return configError(`The client credentials flow needs your My Domain: set 'domain' to it (e.g. "acme" or "https://acme.my.salesforce.com").${said}`);
      }
      return configError(
        `Salesforce refused the client credentials sign-in: enable the client credentials flow on the connected app and set its run-as user; check 'client_id' and 'client_secret'.${said}`,
      );
    case 'jwt_bearer':
      return configError(
        "Salesforce refused the JWT bearer sign-in: check 'client_id', 'username', that the certificate matching 'private_key' is uploaded " +
          `to the connected app, and that the user is pre-authorized for the app.${said}`,
      );
  }
}

function need(value: string | undefined): string {
  if (value === undefined) throw systemError('Credential missing after config validation.');
  return value;
}
