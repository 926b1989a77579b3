/** The Airbyte template renderer the OAuth tests rely on behaves like the platform's restricted Jinjava. */
import { javaUrlEncode, parseTemplate, renderTemplate } from './airbyte-oauth-template';

describe('Airbyte declarative OAuth templates', () => {
  it('renders the Salesforce template of Airbyte’s own connector registry with Jinjava truthiness ("false" is false)', () => {
    const registry = 'https://{% if is_sandbox %}test{% else %}login{% endif %}.salesforce.com/services/oauth2/token';
    expect(renderTemplate(registry, { is_sandbox: 'true' })).toBe('https://test.salesforce.com/services/oauth2/token');
    expect(renderTemplate(registry, { is_sandbox: 'false' })).toBe('https://login.salesforce.com/services/oauth2/token');
    expect(renderTemplate(registry, {})).toBe('https://login.salesforce.com/services/oauth2/token');
  });

  it('renders a missing variable as "", and `in` on it is false', () => {
    expect(renderTemplate('a={{ present }}&b={{ missing }}', { present: undefined })).toBe('a=&b=');
    expect(renderTemplate("{% if '://' in domain %}url{% else %}name{% endif %}", {})).toBe('name');
    expect(renderTemplate("{% if domain and domain != 'login' %}x{% else %}y{% endif %}", { domain: 'acme' })).toBe('x');
  });

  it('applies the allowed filters as the platform does (its test vectors)', () => {
    expect(renderTemplate('{{ v | codechallengeS256 }}', { v: 'testValue' })).toBe('gv4Mg0y-oGkBPF63go5Zmmk-DSQRiH4qsnMnFmKXMII');
    expect(renderTemplate('{{ v | codechallengeS256 }}', { v: 'testValue' }, 'base64')).toBe('gv4Mg0y+oGkBPF63go5Zmmk+DSQRiH4qsnMnFmKXMII=');
    expect(renderTemplate("{{ v | replace('+', '-') | replace('=', '') }}", { v: 'a+b+c==' })).toBe('a-b-c');
    expect(renderTemplate("{{ (a ~ ':' ~ b) | b64encode }}", { a: 'id', b: 'secret' })).toBe(Buffer.from('id:secret').toString('base64'));
    expect(javaUrlEncode('api refresh_token')).toBe('api+refresh_token');
    expect(javaUrlEncode('http://localhost:8000/auth_flow')).toBe('http%3A%2F%2Flocalhost%3A8000%2Fauth_flow');
  });

  it('refuses what the platform refuses: other tags and filters, method calls, unclosed blocks', () => {
    for (const t of ['{% elif x %}', '{% for i in x %}{% endfor %}', '{{ x | lower }}', '{{ x.upper() }}', '{{ x[0] }}', '{% if x %}a', '{{ x']) {
      expect(() => parseTemplate(t)).toThrow();
    }
    expect([...parseTemplate('{{ a }}{% if b in c %}{{ d | urlencode }}{% endif %}').variables].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
