/**
 * The Consul test double as a process of its own, for the native stack when
 * no `consul` binary is installed:
 * node consulDouble.ts <httpPort> <dnsPort> <acl.json>, the last being its
 * ACL system (tokens, default policy, DNS token) as startStack writes it.
 */
import { readFile } from 'node:fs/promises';
import { parseAclOption, startConsulDouble } from '@filegraph/testing/consul';

const [httpPort, dnsPort] = process.argv.slice(2, 4).map(Number);
const aclFile = process.argv[4];
if (!aclFile) throw new Error('usage: consulDouble.ts <httpPort> <dnsPort> <acl.json>');
const acl = parseAclOption(JSON.parse(await readFile(aclFile, 'utf8')));
const consul = await startConsulDouble({ httpPort, dnsPort, acl });
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'Consul test double ready', http: consul.httpAddr, dns: consul.dnsAddr, acl: acl === 'off' ? 'off' : `default ${acl.defaultPolicy}` })}\n`,
);
const stop = () => void consul.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
