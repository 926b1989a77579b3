/**
 * The fake's two listeners, as Salesforce has two kinds of host (reference §5.3): the login host a config's `domain`
 * names (OAuth and SOAP login only) and the instance host the token's `instance_url` names (every data call).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Org } from './org';
import { createFakeServer } from './server';

export interface FakeHosts {
  login: Server;
  instance: Server;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts both listeners on 127.0.0.1 (ports from the `port` / `instancePort` options) and records their URLs on the org. */
export async function listenHosts(org: Org): Promise<FakeHosts> {
  const login = createFakeServer(org, 'login');
  const instance = createFakeServer(org, 'instance');
  const close = async () => {
    await Promise.all([stop(login), stop(instance)]);
  };
  try {
    org.loginUrl = await listen(login, org.options.port);
    org.instanceUrl = await listen(instance, org.options.instancePort);
  } catch (e) {
    await close();
    throw e;
  }
  return { login, instance, close };
}
