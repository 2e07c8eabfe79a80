/**
 * The Consul test double as a process of its own, for the native stack when
 * no `consul` binary is installed: node consulDouble.ts <httpPort> <dnsPort>.
 */
import { startConsulDouble } from '@filegraph/testing/consul';

const [httpPort, dnsPort] = process.argv.slice(2).map(Number);
const consul = await startConsulDouble({ httpPort, dnsPort });
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'Consul test double ready', http: consul.httpAddr, dns: consul.dnsAddr })}\n`,
);
const stop = () => void consul.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
