/** CAT's spec checks (test_core.py TestSpec), carried over as pure functions over a JSON Schema. */
/** CAT's `secret_property_names` fixture: exact (lower-cased) property names that must be secret. */
export const CAT_SECRET_NAMES = [
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key',
  'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id',
  'appid', 'refresh_token', 'private_key', 'api_key', 'secret_key', 'access_key', 'secret_access_key',
];

/** Broader than CAT: any name that looks like it carries a secret. */
const SECRET_LOOKING = /secret|token|passw(or)?d|private|credential|(^|_)(api_?)?key(_|$)|jwt|certificate/i;
export function looksSecret(name: string): boolean {
  const lower = name.toLowerCase();
  return CAT_SECRET_NAMES.includes(lower) || SECRET_LOOKING.test(lower);
}

export type Schema = Record<string, any>;

export interface SchemaNode {
  /** JSON pointer-ish path, e.g. properties/object_storage_config/oneOf/1/properties/secret_access_key */
  path: string;
  /** The property name when the node is a property's schema. */
  property?: string;
  schema: Schema;
}

/** Every schema node (root, properties, items, oneOf/anyOf/allOf variants, definitions), keywords not confused with property names. */
export function schemaNodes(root: Schema): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (schema: unknown, p: string, property?: string): void => {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
    const s = schema as Schema;
    out.push(property === undefined ? { path: p, schema: s } : { path: p, property, schema: s });
    const join = (...parts: Array<string | number>): string => [p, ...parts].filter((x) => x !== '').join('/');
    for (const key of ['properties', 'definitions', '$defs', 'patternProperties', 'dependentSchemas']) {
      const children = s[key];
      if (children && typeof children === 'object') {
        for (const [name, child] of Object.entries(children)) visit(child, join(key, name), key === 'properties' ? name : undefined);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
      if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((child, i) => visit(child, join(key, i), property));
    }
    for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
      if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((child, i) => visit(child, join(key, i)));
      else visit(s[key], join(key));
    }
  };
  visit(root, '');
  return out;
}

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? (s.type as string[]) : s.type !== undefined ? [String(s.type)] : []);

/** CAT test_secret_is_properly_marked: a secret-looking property that can hold a secret (string/number/integer) is airbyte_secret. */
export function secretProblems(spec: Schema): string[] {
  return schemaNodes(spec)
    .filter((n) => n.property !== undefined && looksSecret(n.property))
    .filter((n) => typesOf(n.schema).some((t) => ['string', 'integer', 'number'].includes(t)) || n.schema.type === undefined)
    .filter((n) => n.schema.oneOf === undefined && n.schema.properties === undefined)
    .filter((n) => n.schema.airbyte_secret !== true)
    .map((n) => `${n.path} looks like a secret but is not airbyte_secret: true`);
}

/** CAT test_oneof_usage (strict form): parent type object, variants with properties, exactly one shared const property, no default/enum on it. */
export function oneOfProblems(spec: Schema): string[] {
  const problems: string[] = [];
  for (const node of schemaNodes(spec)) {
    for (const key of ['oneOf', 'anyOf'] as const) {
      const variants = node.schema[key] as Schema[] | undefined;
      if (!Array.isArray(variants)) continue;
      const at = `${node.path}/${key}`;
      if (node.schema.type !== 'object') problems.push(`${at}: the parent must have type: object (has ${JSON.stringify(node.schema.type)})`);
      if (variants.length === 0) problems.push(`${at}: no variants`);
      const props = variants.map((v) => (v && typeof v.properties === 'object' ? (v.properties as Record<string, Schema>) : undefined));
      props.forEach((p, i) => {
        if (!p) problems.push(`${at}/${i}: a variant without properties`);
      });
      if (props.some((p) => !p) || variants.length === 0) continue;
      const defined = props as Array<Record<string, Schema>>;
      const common = Object.keys(defined[0] as Record<string, Schema>).filter((name) => defined.every((p) => name in p));
      const constProps = common.filter((name) => defined.every((p) => 'const' in (p[name] as Schema)));
      if (constProps.length !== 1) {
        problems.push(`${at}: variants must share exactly one const property (found ${JSON.stringify(constProps)})`);
        continue;
      }
      const discriminator = constProps[0] as string;
      const values = defined.map((p) => (p[discriminator] as Schema).const);
      if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) problems.push(`${at}: ${discriminator} const values repeat: ${JSON.stringify(values)}`);
      defined.forEach((p, i) => {
        const d = p[discriminator] as Schema;
        if ('default' in d) problems.push(`${at}/${i}/properties/${discriminator}: the const property has a default`);
        if ('enum' in d) problems.push(`${at}/${i}/properties/${discriminator}: the const property has an enum`);
      });
    }
  }
  return problems;
}

export const FORBIDDEN_KEYWORDS = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];

/** CAT test_forbidden_complex_types. */
export function forbiddenKeywordProblems(spec: Schema): string[] {
  return schemaNodes(spec).flatMap((n) => FORBIDDEN_KEYWORDS.filter((k) => k in n.schema).map((k) => `${n.path || '(root)'} uses ${k}`));
}

/** CAT test_property_type_is_not_array. */
export function typeArrayProblems(spec: Schema): string[] {
  return schemaNodes(spec)
    .filter((n) => n.property !== undefined && Array.isArray(n.schema.type))
    .map((n) => `${n.path}: type is an array ${JSON.stringify(n.schema.type)}`);
}

/** CAT test_object_not_empty, test_array_type, test_enum_usage, test_additional_properties_is_true. */
export function shapeProblems(spec: Schema): string[] {
  const problems: string[] = [];
  for (const n of schemaNodes(spec)) {
    const s = n.schema;
    const where = n.path || '(root)';
    if (s.type === 'object' && !s.properties && !s.oneOf && n.path !== '' && !/\/oneOf\/\d+$/.test(n.path)) {
      problems.push(`${where}: an object without properties or oneOf`);
    }
    if (s.type === 'object' && s.properties && typeof s.properties === 'object' && Object.keys(s.properties).length === 0 && !s.oneOf) {
      problems.push(`${where}: an object with empty properties`);
    }
    if (s.type === 'array') {
      if (!s.items || typeof s.items !== 'object' || Array.isArray(s.items)) problems.push(`${where}: an array needs one items schema`);
      else if (s.items.type === undefined) problems.push(`${where}: array items need a type`);
    }
    if (Array.isArray(s.enum) && new Set(s.enum.map((v: unknown) => JSON.stringify(v))).size !== s.enum.length) {
      problems.push(`${where}: enum values repeat`);
    }
    if ('additionalProperties' in s && s.additionalProperties !== true) {
      problems.push(`${where}: additionalProperties must be true when present (Airbyte adds keys to configs)`);
    }
  }
  return problems;
}
