/**
 * The template language of Airbyte's declarative OAuth (`advanced_auth.oauth_config_specification.
 * oauth_connector_input_specification`), as the platform renders it: Jinjava restricted to the
 * `if`/`else`/`endif` tags and the `urlencode`, `replace`, `b64encode` and `codechallengeS256` filters
 * (airbyte-platform DeclarativeOAuthSpecHandler and its tests), with Jinjava's semantics where they
 * differ from Jinja2 or nunjucks: the string "false" is falsy, a missing variable renders as "" and
 * makes `in` false. Written here rather than taken from nunjucks because nunjucks accepts what
 * Airbyte refuses (elif, lower, `is defined`, method calls) and treats "false" as true, so a template
 * that passes with it could fail in Airbyte.
 */
import { createHash } from 'node:crypto';

export const ALLOWED_FILTERS = ['urlencode', 'replace', 'b64encode', 'codechallengeS256'] as const;

/** How `codechallengeS256` encodes the digest: base64url without padding (current platform) or plain base64 (older ones). */
export type ChallengeEncoding = 'base64url' | 'base64';

type Expr =
  | { kind: 'str'; value: string }
  | { kind: 'var'; name: string }
  | { kind: 'not'; arg: Expr }
  | { kind: 'bin'; op: 'and' | 'or' | '==' | '!=' | 'in' | '~'; left: Expr; right: Expr }
  | { kind: 'filter'; name: string; arg: Expr; args: Expr[] };

type Node = { kind: 'text'; text: string } | { kind: 'out'; expr: Expr } | { kind: 'if'; test: Expr; then: Node[]; else: Node[] };

export interface ParsedTemplate {
  nodes: Node[];
  variables: Set<string>;
  filters: Set<string>;
}

export class TemplateError extends Error {}

export function parseTemplate(template: string): ParsedTemplate {
  const variables = new Set<string>();
  const filters = new Set<string>();
  const stack: Array<{ nodes: Node[]; node?: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [{ nodes: [], inElse: false }];
  const push = (n: Node) => (stack[stack.length - 1] as { nodes: Node[] }).nodes.push(n);
  let at = 0;
  while (at < template.length) {
    const open = template.slice(at).search(/\{\{|\{%/);
    if (open < 0) {
      push({ kind: 'text', text: template.slice(at) });
      break;
    }
    if (open > 0) push({ kind: 'text', text: template.slice(at, at + open) });
    const start = at + open;
    const isTag = template[start + 1] === '%';
    const close = template.indexOf(isTag ? '%}' : '}}', start + 2);
    if (close < 0) throw new TemplateError(`unclosed ${isTag ? '{%' : '{{'} at ${start}`);
    const body = template.slice(start + 2, close).trim();
    at = close + 2;
    if (!isTag) {
      push({ kind: 'out', expr: parseExpression(body, variables, filters) });
      continue;
    }
    const [tag = '', ...rest] = body.split(/\s+/);
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (tag === 'if') {
      const node: Extract<Node, { kind: 'if' }> = { kind: 'if', test: parseExpression(rest.join(' '), variables, filters), then: [], else: [] };
      push(node);
      stack.push({ nodes: node.then, node, inElse: false });
    } else if (tag === 'else' && rest.length === 0 && top.node && !top.inElse) {
      stack[stack.length - 1] = { nodes: top.node.else, node: top.node, inElse: true };
    } else if (tag === 'endif' && rest.length === 0 && top.node) {
      stack.pop();
    } else {
      throw new TemplateError(`tag {% ${body} %} is not allowed (Airbyte renders only if / else / endif)`);
    }
  }
  if (stack.length !== 1) throw new TemplateError('an {% if %} has no {% endif %}');
  return { nodes: (stack[0] as { nodes: Node[] }).nodes, variables, filters };
}

export function renderTemplate(template: string, values: Record<string, string | undefined>, encoding: ChallengeEncoding = 'base64url'): string {
  const render = (nodes: Node[]): string =>
    nodes
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'out') return show(evaluate(n.expr, values, encoding));
        return render(truthy(evaluate(n.test, values, encoding)) ? n.then : n.else);
      })
      .join('');
  return render(parseTemplate(template).nodes);
}

type Value = string | boolean | undefined;

function show(v: Value): string {
  return v === undefined ? '' : String(v);
}

/** Jinjava's ObjectTruthValue: null, "", and "false" (any case) are false. */
function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  return v !== undefined && v !== '' && v.toLowerCase() !== 'false';
}

function evaluate(e: Expr, values: Record<string, string | undefined>, encoding: ChallengeEncoding): Value {
  const ev = (x: Expr) => evaluate(x, values, encoding);
  switch (e.kind) {
    case 'str':
      return e.value;
    case 'var':
      return values[e.name];
    case 'not':
      return !truthy(ev(e.arg));
    case 'bin': {
      if (e.op === 'and') return truthy(ev(e.left)) && truthy(ev(e.right));
      if (e.op === 'or') return truthy(ev(e.left)) || truthy(ev(e.right));
      const l = ev(e.left);
      const r = ev(e.right);
      if (e.op === '~') return show(l) + show(r);
      if (e.op === 'in') return typeof r === 'string' && r.includes(show(l));
      const equal = l === undefined || r === undefined ? l === r : String(l) === String(r);
      return e.op === '==' ? equal : !equal;
    }
    case 'filter':
      return applyFilter(e.name, show(ev(e.arg)), e.args.map((a) => show(ev(a))), encoding);
  }
}

function applyFilter(name: string, input: string, args: string[], encoding: ChallengeEncoding): string {
  switch (name) {
    case 'urlencode':
      return javaUrlEncode(input);
    case 'replace':
      return input.split(args[0] ?? '').join(args[1] ?? '');
    case 'b64encode':
      return Buffer.from(input, 'utf8').toString('base64');
    case 'codechallengeS256':
      return createHash('sha256').update(input, 'utf8').digest(encoding);
    default:
      throw new TemplateError(`filter ${name} is not allowed`);
  }
}

/** java.net.URLEncoder.encode(s, UTF_8): keeps A-Z a-z 0-9 . - * _, space → +, the rest %XX. */
export function javaUrlEncode(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9.\-*_]/.test(c)) return c;
      return c === ' ' ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

// ---- expressions: or > and > not > comparison (== != in) > ~ > filters > primary ----

function parseExpression(text: string, variables: Set<string>, filters: Set<string>): Expr {
  const tokens = text.match(/'[^']*'|"[^"]*"|==|!=|[A-Za-z_][A-Za-z0-9_]*|[()|,~]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) throw new TemplateError(`expected ${expected ?? 'more'} in "${text}"`);
    return t;
  };
  /** A left-associative level: operands from `next`, joined by `op`. */
  const level = (op: 'or' | 'and' | '~', next: () => Expr) => (): Expr => {
    let left = next();
    while (peek() === op) left = { kind: 'bin', op: (take(), op), left, right: next() };
    return left;
  };
  const or = (): Expr => level('or', and)();
  const and = (): Expr => level('and', not)();
  const not = (): Expr => (peek() === 'not' ? (take(), { kind: 'not', arg: not() }) : comparison());
  const comparison = (): Expr => {
    const left = concat();
    const op = peek();
    if (op === '==' || op === '!=' || op === 'in') return { kind: 'bin', op: (take(), op), left, right: concat() };
    return left;
  };
  const concat = (): Expr => level('~', filtered)();
  const filtered = (): Expr => {
    let arg = primary();
    while (peek() === '|') {
      take();
      const name = take();
      if (!(ALLOWED_FILTERS as readonly string[]).includes(name)) throw new TemplateError(`filter ${name} is not allowed (Airbyte allows ${ALLOWED_FILTERS.join(', ')})`);
      filters.add(name);
      const args: Expr[] = [];
      if (peek() === '(') {
        take();
        while (peek() !== ')') {
          args.push(or());
          if (peek() === ',') take();
        }
        take(')');
      }
      arg = { kind: 'filter', name, arg, args };
    }
    return arg;
  };
  const primary = (): Expr => {
    const t = take();
    if (t === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (/^['"]/.test(t)) return { kind: 'str', value: t.slice(1, -1) };
    if (/^[A-Za-z_]\w*$/.test(t) && !['and', 'or', 'not', 'in'].includes(t)) {
      if (peek() === '(' || peek() === '.' || peek() === '[') throw new TemplateError(`"${text}": method calls, attributes and indexing are not allowed`);
      variables.add(t);
      return { kind: 'var', name: t };
    }
    throw new TemplateError(`unexpected "${t}" in "${text}"`);
  };
  const expr = or();
  if (i < tokens.length) throw new TemplateError(`unexpected "${tokens[i]}" in "${text}"`);
  return expr;
}
