/**
 * Spec checks beyond CAT's: the form layout (groups and order, see README "Adding a config key") and
 * `advanced_auth` (every path it names exists in the connection specification; its templates use only
 * what Airbyte's renderer allows and only variables Airbyte provides). Pure functions over the spec.
 */
import { BUILT_IN_VARIABLES } from '../helpers/airbyte-oauth-flow';
import { parseTemplate } from '../helpers/airbyte-oauth-template';
import { looksSecret, type Schema } from './spec-rules';

/** Every top-level property names one of `groups` and has an `order` no other property of its group has. */
export function formLayoutProblems(connectionSpecification: Schema): string[] {
  const problems: string[] = [];
  const groups = connectionSpecification.groups as Array<{ id?: unknown; title?: unknown }> | undefined;
  if (!Array.isArray(groups) || groups.length === 0) return ['connectionSpecification has no "groups" array of {id, title}'];
  const ids = groups.map((g) => g.id);
  groups.forEach((g, i) => {
    if (typeof g.id !== 'string' || typeof g.title !== 'string') problems.push(`groups[${i}] needs a string id and title`);
  });
  if (new Set(ids).size !== ids.length) problems.push(`group ids repeat: ${JSON.stringify(ids)}`);
  const idList = ids.join(' | ');
  const props = Object.entries((connectionSpecification.properties ?? {}) as Record<string, Schema>);
  const used = new Map<string, Map<number, string>>();
  const nextFree = (group: string) => Math.max(-1, ...(used.get(group)?.keys() ?? [])) + 1;
  for (const [name, p] of props) {
    if (typeof p.group !== 'string' || !ids.includes(p.group)) {
      problems.push(`'${name}' has no valid "group" (has ${JSON.stringify(p.group)}): add "group": one of ${idList} — README "Adding a config key" says which`);
      continue;
    }
    const orders = used.get(p.group) ?? new Map<number, string>();
    used.set(p.group, orders);
    if (!Number.isInteger(p.order) || (p.order as number) < 0) {
      problems.push(`'${name}' has no valid "order" (has ${JSON.stringify(p.order)}): add "order": ${nextFree(p.group)} (a number no other key of group ${p.group} uses)`);
      continue;
    }
    const taken = orders.get(p.order as number);
    if (taken !== undefined) {
      problems.push(`'${name}' and '${taken}' both have "order": ${p.order} in group ${p.group}: give '${name}' "order": ${nextFree(p.group)}`);
      continue;
    }
    orders.set(p.order as number, name);
    if ('always_show' in p && typeof p.always_show !== 'boolean') problems.push(`'${name}': always_show must be true or false`);
  }
  for (const id of ids) if (typeof id === 'string' && !props.some(([, p]) => p.group === id)) problems.push(`group ${id} has no property`);
  return problems;
}

function schemaAt(connectionSpecification: Schema, path: unknown): Schema | undefined {
  if (!Array.isArray(path) || path.length === 0) return undefined;
  let node: Schema | undefined = connectionSpecification;
  for (const key of path) {
    node = typeof key === 'string' ? (node?.properties as Record<string, Schema> | undefined)?.[key] : undefined;
    if (!node) return undefined;
  }
  return node;
}

const SECTIONS_WITH_PATHS = [
  'oauth_user_input_from_connector_config_specification',
  'complete_oauth_output_specification',
  'complete_oauth_server_output_specification',
] as const;

/** advanced_auth: predicate, every path_in_connector_config, outputs that land in secret keys, and the templates. */
export function advancedAuthProblems(spec: Schema): string[] {
  const problems: string[] = [];
  const cs = spec.connectionSpecification as Schema;
  const auth = spec.advanced_auth as Schema | undefined;
  if (!auth) return ['the spec has no advanced_auth'];
  if (auth.auth_flow_type !== 'oauth2.0') problems.push(`advanced_auth.auth_flow_type is ${JSON.stringify(auth.auth_flow_type)}, not "oauth2.0"`);
  const predicate = schemaAt(cs, auth.predicate_key);
  if (!predicate) problems.push(`advanced_auth.predicate_key ${JSON.stringify(auth.predicate_key)} is not a property of the connection specification`);
  else if (!(Array.isArray(predicate.enum) ? predicate.enum.includes(auth.predicate_value) : predicate.const === auth.predicate_value)) {
    problems.push(`advanced_auth.predicate_value ${JSON.stringify(auth.predicate_value)} is not a value ${JSON.stringify(auth.predicate_key)} accepts`);
  }
  const o = (auth.oauth_config_specification ?? {}) as Schema;
  for (const section of SECTIONS_WITH_PATHS) {
    for (const [name, p] of Object.entries((o[section]?.properties ?? {}) as Record<string, Schema>)) {
      const at = `advanced_auth.${section}.${name}`;
      const target = schemaAt(cs, p.path_in_connector_config);
      if (!target) {
        problems.push(`${at}: path_in_connector_config ${JSON.stringify(p.path_in_connector_config)} is not a property of the connection specification`);
        continue;
      }
      if (p.type !== target.type) problems.push(`${at} has type ${JSON.stringify(p.type)} but the config key has ${JSON.stringify(target.type)}`);
      if (section !== 'oauth_user_input_from_connector_config_specification' && looksSecret(name) && target.airbyte_secret !== true) {
        problems.push(`${at} writes a secret into ${JSON.stringify(p.path_in_connector_config)}, which is not airbyte_secret`);
      }
    }
  }
  const serverIn = Object.keys((o.complete_oauth_server_input_specification?.properties ?? {}) as Schema).sort();
  const serverOut = Object.keys((o.complete_oauth_server_output_specification?.properties ?? {}) as Schema).sort();
  if (JSON.stringify(serverIn) !== JSON.stringify(serverOut)) problems.push(`server input ${JSON.stringify(serverIn)} and server output ${JSON.stringify(serverOut)} differ`);
  return problems.concat(connectorInputProblems(o));
}

function connectorInputProblems(o: Schema): string[] {
  const problems: string[] = [];
  const input = o.oauth_connector_input_specification as Schema | undefined;
  if (!input) return ['advanced_auth has no oauth_connector_input_specification (declarative OAuth)'];
  const extract = (input.extract_output as string[] | undefined) ?? ['refresh_token'];
  for (const name of Object.keys((o.complete_oauth_output_specification?.properties ?? {}) as Schema)) {
    if (!extract.some((path) => path.split('.').pop() === name)) problems.push(`complete_oauth_output_specification.${name} is not among extract_output ${JSON.stringify(extract)}`);
  }
  const known = new Set([
    ...BUILT_IN_VARIABLES,
    ...Object.keys(input),
    ...Object.keys((o.oauth_user_input_from_connector_config_specification?.properties ?? {}) as Schema),
  ]);
  const templates: Array<[string, unknown]> = [
    ['consent_url', input.consent_url],
    ['access_token_url', input.access_token_url],
    ...Object.entries((input.access_token_headers ?? {}) as Schema).flatMap(([k, v]): Array<[string, unknown]> => [[`access_token_headers key ${k}`, k], [`access_token_headers.${k}`, v]]),
    ...Object.entries((input.access_token_params ?? {}) as Schema).flatMap(([k, v]): Array<[string, unknown]> => [[`access_token_params key ${k}`, k], [`access_token_params.${k}`, v]]),
  ];
  for (const [where, template] of templates) {
    if (typeof template !== 'string') {
      problems.push(`${where} is not a string template`);
      continue;
    }
    try {
      const parsed = parseTemplate(template);
      for (const v of parsed.variables) if (!known.has(v)) problems.push(`${where} uses {{ ${v} }}, which Airbyte does not provide (not built in, not a user input)`);
      if (where === 'consent_url' && [...parsed.variables].some((v) => v.startsWith('client_secret'))) problems.push('consent_url must not carry the client secret');
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  return problems;
}
