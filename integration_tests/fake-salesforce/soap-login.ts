/** SOAP partner login() at /services/Soap/u/{version} (reference §5.2): below 65.0 only. */
import { type Answer, readBody } from './http-util';
import type { IncomingMessage } from 'node:http';
import type { Org } from './org';

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function fault(code: string, message: string): Answer {
  const body = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    + 'xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>'
    + `<faultcode>sf:${code}</faultcode><faultstring>${code}: ${message}</faultstring>`
    + `<detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${message}</sf:exceptionMessage></sf:LoginFault></detail>`
    + '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
  return { status: 500, headers: { 'Content-Type': 'text/xml;charset=UTF-8' }, body };
}

export async function soapLogin(org: Org, req: IncomingMessage, version: string, onBody: (n: number) => void): Promise<Answer> {
  const raw = await readBody(req);
  onBody(raw.size);
  if (Number(version) >= 65) {
    return fault('UNSUPPORTED_API_VERSION', 'login() is not supported in API version 65.0 and later. Use OAuth 2.0 instead.');
  }
  const xml = raw.bytes.toString('utf8');
  const username = unescapeXml(/<(?:\w+:)?username>([^<]*)<\/(?:\w+:)?username>/.exec(xml)?.[1] ?? '');
  const password = unescapeXml(/<(?:\w+:)?password>([^<]*)<\/(?:\w+:)?password>/.exec(xml)?.[1] ?? '');
  const c = org.credentials;
  if (username !== c.username || password !== c.password + c.securityToken) {
    return fault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.');
  }
  const sessionId = org.issueToken();
  const serverUrl = `${org.instanceUrl}/services/Soap/u/${version}/${org.orgId.slice(0, 15)}`;
  const body = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    + 'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result>'
    + `<metadataServerUrl>${org.instanceUrl}/services/Soap/m/${version}/${org.orgId.slice(0, 15)}</metadataServerUrl>`
    + '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>'
    + `<serverUrl>${serverUrl}</serverUrl><sessionId>${sessionId}</sessionId><userId>${org.userId}</userId>`
    + `<userInfo><organizationId>${org.orgId}</organizationId><userEmail>${c.username}</userEmail><userFullName>Integration User</userFullName>`
    + `<userId>${org.userId}</userId><userName>${c.username}</userName></userInfo>`
    + '</result></loginResponse></soapenv:Body></soapenv:Envelope>';
  return { status: 200, headers: { 'Content-Type': 'text/xml;charset=UTF-8' }, body };
}
