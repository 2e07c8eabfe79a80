/**
 * The Consul test double as a process of its own, for the native stack when
 * no `consul` binary is installed:
 * node consulDouble.ts <httpPort> <dnsPort> <acl.json> [<tls dir>], the
 * third being its ACL system (tokens, default policy, DNS token) as
 * startStack writes it, the last the agent's certificate folder, which
 * HTTPS checks show (Consul's enable_agent_tls_for_checks).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAclOption, startConsulDouble } from '@filegraph/testing/consul';

const [httpPort, dnsPort] = process.argv.slice(2, 4).map(Number);
const [aclFile, tlsDir] = process.argv.slice(4, 6);
if (!aclFile) throw new Error('usage: consulDouble.ts <httpPort> <dnsPort> <acl.json> [<tls dir>]');
const acl = parseAclOption(JSON.parse(await readFile(aclFile, 'utf8')));
const checkTls = tlsDir
  ? {
      ca: await readFile(join(tlsDir, 'ca.crt')),
      cert: await readFile(join(tlsDir, 'tls.crt')),
      key: await readFile(join(tlsDir, 'tls.key')),
    }
  : undefined;
const consul = await startConsulDouble({ httpPort, dnsPort, acl, checkTls });
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'Consul test double ready', http: consul.httpAddr, dns: consul.dnsAddr, acl: acl === 'off' ? 'off' : `default ${acl.defaultPolicy}` })}\n`,
);
const stop = () => void consul.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
