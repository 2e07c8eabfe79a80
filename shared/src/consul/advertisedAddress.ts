import { networkInterfaces } from 'node:os';

/**
 * The address to register in Consul: SERVICE_ADDRESS when set; the listening
 * host when it is one address (127.0.0.1 for a native run); otherwise, when
 * listening on all interfaces (containers), this machine's first non-internal
 * IPv4 address. An IP, not a host name: Consul only attaches the A records
 * HAProxy needs to its SRV answers when the registered address is an IP.
 */
export function advertisedAddress(configured: string | undefined, host: string): string {
  if (configured) return configured;
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return host;
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}
