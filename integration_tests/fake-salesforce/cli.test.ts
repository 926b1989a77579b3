/** `npm run fake-salesforce` entry point: exactly one JSON line on stdout, then serves until killed. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

it('prints {"loginUrl", "instanceUrl", "config"} once; the config names the login host, data goes to the instance', async () => {
  const cli = path.join(__dirname, 'cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf);
      });
      child.on('exit', (code) => reject(new Error(`exited ${String(code)}`)));
    });
    expect(firstLine.endsWith('\n')).toBe(true);
    expect(firstLine.split('\n').filter((l) => l !== '')).toHaveLength(1);
    const out = JSON.parse(firstLine) as { loginUrl: string; instanceUrl: string; config: Record<string, string> };
    expect(Object.keys(out)).toEqual(['loginUrl', 'instanceUrl', 'config']);
    expect(out.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.instanceUrl).not.toBe(out.loginUrl);
    expect(out.config).toMatchObject({ auth_type: 'oauth2_refresh_token', domain: out.loginUrl });
    const tok = await fetch(`${out.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: out.config.refresh_token as string, client_id: out.config.client_id as string, client_secret: out.config.client_secret as string }),
    });
    expect(tok.status).toBe(200);
    const body = (await tok.json()) as { access_token: string; instance_url: string };
    expect(body.instance_url).toBe(out.instanceUrl);
    const accounts = await fetch(`${out.instanceUrl}/services/data/v62.0/sobjects/Account/describe`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(accounts.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
});
