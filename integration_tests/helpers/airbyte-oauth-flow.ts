/**
 * Airbyte's part of a declarative OAuth flow, done from a connector spec alone (airbyte-platform
 * DeclarativeOAuthFlow + DeclarativeOAuthSpecHandler, and the documented template variables):
 * the template values, the consent URL, the token request, and the outputs written into a config.
 */
import { randomInt } from 'node:crypto';
import { type ChallengeEncoding, javaUrlEncode, renderTemplate } from './airbyte-oauth-template';

type Json = Record<string, any>;

/** The variables Airbyte itself provides to every template (besides the merged user input). */
const OAUTH_NAMES = ['client_id', 'client_secret', 'auth_code', 'redirect_uri', 'scope', 'state'];
/** The variables Airbyte itself gives every template, besides the keys of the merged user input and connector input. */
export const BUILT_IN_VARIABLES = [
  ...OAUTH_NAMES.flatMap((n) => [`${n}_key`, `${n}_value`, `${n}_param`]),
  ...['client_id', 'client_secret', 'code', 'redirect_uri', 'scope', 'state'],
  ...['scopes_param', 'scopes_value', 'optional_scopes', 'optional_scopes_param', 'optional_scopes_value'],
];

export interface FlowInputs {
  clientId: string;
  clientSecret: string;
  /** Airbyte's callback: `<webapp origin>/auth_flow`. */
  redirectUri: string;
  /** Values of the config keys named by oauth_user_input_from_connector_config_specification. */
  userInput: Json;
  encoding?: ChallengeEncoding;
}

const STATE_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_';

export function oauthSpec(spec: Json): Json {
  return spec.advanced_auth.oauth_config_specification;
}

function connectorInput(spec: Json): Json {
  return oauthSpec(spec).oauth_connector_input_specification;
}

/** getConfigurableState: `state: {min, max}` chars (7–24 without it). */
export function newState(spec: Json): string {
  const { min = 7, max = 24 } = (connectorInput(spec).state ?? {}) as { min?: number; max?: number };
  const length = randomInt(min, max + 1);
  return Array.from({ length }, () => STATE_CHARS[randomInt(STATE_CHARS.length)]).join('');
}

/** createDefaultTemplateMap + getTemplateParametersAndValues: every merged input key as text, then the OAuth values. */
export function templateValues(spec: Json, inputs: FlowInputs, flow: { state?: string; code?: string; withSecret: boolean }): Record<string, string | undefined> {
  const merged: Json = { ...inputs.userInput, ...connectorInput(spec) };
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(merged)) values[k] = v !== null && typeof v === 'object' ? '' : String(v);
  const keyOf = (k: string, fallback: string): string => (typeof merged[k] === 'string' ? merged[k] : fallback);
  const keys = {
    client_id: keyOf('client_id_key', 'client_id'),
    client_secret: keyOf('client_secret_key', 'client_secret'),
    auth_code: keyOf('auth_code_key', 'code'),
    redirect_uri: keyOf('redirect_uri_key', 'redirect_uri'),
    scope: keyOf('scope_key', 'scope'),
    state: keyOf('state_key', 'state'),
  };
  for (const [name, key] of Object.entries(keys)) values[`${name}_key`] = key;
  values[keys.client_id] = inputs.clientId;
  values[keys.redirect_uri] = inputs.redirectUri;
  values[keys.client_secret] = flow.withSecret ? inputs.clientSecret : undefined; // consent URLs never see the secret
  values[keys.auth_code] = flow.code;
  values[keys.state] = flow.state;
  for (const [name, key] of Object.entries(keys)) {
    const value = values[key];
    values[`${name}_value`] = value;
    const encode = name === 'redirect_uri' || name === 'scope';
    values[`${name}_param`] = `${key}=${encode && value !== undefined ? javaUrlEncode(value) : value ?? 'null'}`;
  }
  values.scopes_param = values.scope_param;
  values.scopes_value = values.scope_value;
  return values;
}

export function consentUrl(spec: Json, inputs: FlowInputs, state: string): string {
  const values = templateValues(spec, inputs, { state, withSecret: false });
  return renderTemplate(connectorInput(spec).consent_url as string, values, inputs.encoding);
}

export interface TokenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The authorization-code exchange as Airbyte sends it: rendered URL, headers and params (form-encoded when the headers say so). */
export function tokenRequest(spec: Json, inputs: FlowInputs, callback: { code: string; state: string }): TokenRequest {
  const input = connectorInput(spec);
  const values = templateValues(spec, inputs, { state: callback.state, code: callback.code, withSecret: true });
  const render = (t: string) => renderTemplate(t, values, inputs.encoding);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((input.access_token_headers ?? {}) as Record<string, string>)) headers[render(k)] = render(v);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries((input.access_token_params ?? {}) as Record<string, string>)) params[render(k)] = render(v);
  const form = headers['Content-Type'] === 'application/x-www-form-urlencoded';
  return {
    url: render(input.access_token_url as string),
    headers: { ...headers, 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(params).toString() : JSON.stringify(params),
  };
}

/** processOAuthOutput: each `extract_output` path (dotted) read from the token response, keyed by its last segment. */
export function extractOutput(spec: Json, response: Json): Record<string, string> {
  const paths = (connectorInput(spec).extract_output as string[] | undefined) ?? ['refresh_token'];
  const out: Record<string, string> = {};
  for (const path of paths) {
    const value = path.split('.').reduce<any>((node, key) => (node === null || node === undefined ? undefined : node[key]), response);
    if (value === undefined || value === null) throw new Error(`Missing '${path}' field in the OAuth output`);
    out[path.split('.').pop() as string] = String(value);
  }
  return out;
}

/** What the webapp does with the result: each output (and the client id/secret) set at its path_in_connector_config. */
export function applyOutputs(spec: Json, config: Json, output: Record<string, string>, inputs: FlowInputs): Json {
  const next = structuredClone(config);
  const set = (path: string[], value: string) => {
    const parent = path.slice(0, -1).reduce<Json>((node, key) => (node[key] ??= {}), next);
    parent[path[path.length - 1] as string] = value;
  };
  const o = oauthSpec(spec);
  for (const [name, p] of Object.entries((o.complete_oauth_output_specification?.properties ?? {}) as Json)) {
    if (output[name] === undefined) throw new Error(`the OAuth output has no ${name}`);
    set(p.path_in_connector_config as string[], output[name]);
  }
  const server: Record<string, string> = { client_id: inputs.clientId, client_secret: inputs.clientSecret };
  for (const [name, p] of Object.entries((o.complete_oauth_server_output_specification?.properties ?? {}) as Json)) {
    if (server[name] !== undefined) set(p.path_in_connector_config as string[], server[name]);
  }
  return next;
}
