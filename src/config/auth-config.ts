/**
 * Decides the authentication flow from a validated raw config (explicit `auth_type`, else inferred)
 * and checks that the keys the flow needs are present. Empty strings count as absent
 * (Mage's config templates leave unused credentials as "").
 */
import { configError } from '../errors';
import type { AuthConfig, AuthType } from './destination-config';
import type { RawConfig } from './validate-config';

/** SOAP login() is gone from this API version on. */
export const SOAP_LOGIN_REMOVED_IN = 65;

const NEEDS: Record<AuthType, string[]> = {
  oauth2_refresh_token: ['client_id', 'refresh_token'],
  username_password: ['username', 'password'],
  client_credentials: ['client_id', 'client_secret'],
  jwt_bearer: ['client_id', 'username', 'private_key'],
};

const FLOW_NAMES: Record<AuthType, string> = {
  oauth2_refresh_token: 'OAuth refresh token',
  username_password: 'username/password',
  client_credentials: 'OAuth client credentials',
  jwt_bearer: 'OAuth JWT bearer',
};

export interface AuthContext {
  apiVersion: string;
  isMyDomain: boolean;
  loginUrl: string;
}

export function resolveAuth(raw: RawConfig, ctx: AuthContext): AuthConfig {
  const text = (key: string): string | undefined => {
    const v = raw[key];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const type = explicitType(raw.auth_type) ?? inferType(text);
  const missing = NEEDS[type].filter((k) => text(k) === undefined);
  if (missing.length) {
    throw configError(
      `Config validation error: the ${FLOW_NAMES[type]} flow (auth_type '${type}') needs ${quoteList(NEEDS[type])}; ` +
        `missing: ${quoteList(missing)}.`,
    );
  }
  const auth: AuthConfig = { type };
  assign(auth, 'clientId', text('client_id'));
  assign(auth, 'clientSecret', text('client_secret'));
  assign(auth, 'refreshToken', text('refresh_token'));
  assign(auth, 'username', text('username')?.trim());
  assign(auth, 'password', text('password'));
  assign(auth, 'securityToken', text('security_token'));
  assign(auth, 'privateKey', text('private_key'));
  checkFlowFits(auth, ctx);
  return auth;
}

/** True when username/password signs in with SOAP login() (no client_id + client_secret for the OAuth password grant). */
export function usesSoapLogin(auth: AuthConfig): boolean {
  return auth.type === 'username_password' && !(auth.clientId && auth.clientSecret);
}

function explicitType(value: unknown): AuthType | undefined {
  if (value === undefined || value === '') return undefined;
  // Airbyte's own Salesforce destination writes auth_type "Client" for its refresh-token flow.
  if (value === 'Client') return 'oauth2_refresh_token';
  return value as AuthType; // the spec's enum already checked it
}

function inferType(text: (key: string) => string | undefined): AuthType {
  if (text('refresh_token')) return 'oauth2_refresh_token';
  if (text('username') && text('password')) return 'username_password';
  if (text('private_key')) return 'jwt_bearer';
  if (text('client_id') && text('client_secret')) return 'client_credentials';
  throw configError(
    'Config validation error: no usable credentials. Give one of: client_id + refresh_token (OAuth refresh token); ' +
      'username + password (+ security_token; with client_id + client_secret for the OAuth password flow); ' +
      'client_id + client_secret (client credentials, My Domain only); client_id + username + private_key (JWT bearer).',
  );
}

function checkFlowFits(auth: AuthConfig, ctx: AuthContext): void {
  if (auth.type === 'client_credentials' && !ctx.isMyDomain) {
    throw configError(
      `Config validation error: the client credentials flow only works on your My Domain, not ${ctx.loginUrl}. ` +
        "Set 'domain' to your My Domain name or URL (e.g. \"acme\" or \"https://acme.my.salesforce.com\").",
    );
  }
  if (usesSoapLogin(auth) && Number.parseFloat(ctx.apiVersion) >= SOAP_LOGIN_REMOVED_IN) {
    throw configError(
      `Config validation error: username/password without client_id + client_secret needs SOAP login(), which Salesforce removed in API ${SOAP_LOGIN_REMOVED_IN}.0 ` +
        `(api_version is ${ctx.apiVersion}). Use OAuth instead: add 'client_id' and 'client_secret' (OAuth username/password flow), ` +
        "or use a 'refresh_token', JWT bearer ('private_key') or client credentials; or set 'api_version' below 65.0.",
    );
  }
}

function assign<K extends keyof AuthConfig>(auth: AuthConfig, key: K, value: AuthConfig[K] | undefined): void {
  if (value !== undefined) auth[key] = value;
}

function quoteList(keys: string[]): string {
  return keys.map((k) => `'${k}'`).join(', ');
}
