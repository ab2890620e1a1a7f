import { hostname, networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../runnerConfig.ts';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::', '[::]'];

/**
 * Host header values this runner answers to. A DNS-rebinding page reaches 127.0.0.1 under its own host name,
 * so only our own names pass: the loopback names with our port, plus the --host given (and, for a wildcard
 * bind, this machine's addresses and host name).
 */
export function allowedHostHeaders(bindHost: string, port: number): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (!isLoopbackHost(bindHost)) {
    names.add(bracketIpv6(bindHost));
    if (WILDCARDS.includes(bindHost)) {
      names.add(hostname().toLowerCase());
      for (const addresses of Object.values(networkInterfaces())) for (const a of addresses ?? []) names.add(bracketIpv6(a.address.replace(/%.*$/, '')));
    }
  }
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name.toLowerCase()}:${port}`);
    if (port === 80) hosts.add(name.toLowerCase()); // browsers leave out the default port
  }
  return hosts;
}

const bracketIpv6 = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
