import { chmod, chown, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minioPrometheusToken } from './minioToken.ts';
import { render } from './render.ts';

/**
 * Everything Prometheus and Alertmanager read, in one folder, from the
 * templates of ops/ and the environment: what compose's `ops-config` step
 * runs (`node ops/prepare.ts /ops-config`) and what `npm run stack -- --ops`
 * calls, so both run the same files.
 *
 *   <out>/prometheus/prometheus.yml   the template, filled in
 *   <out>/prometheus/rules/           ops/prometheus/rules, copied
 *   <out>/prometheus/consul-token     CONSUL_PROMETHEUS_TOKEN (reads services and nodes)
 *   <out>/prometheus/minio-token      MinIO's metrics token, made from MINIO_ROOT_USER/PASSWORD
 *   <out>/prometheus/tls/             PROMETHEUS_TLS_DIR copied, when set (compose mounts it instead)
 *   <out>/alertmanager/alertmanager.yml
 *
 * The templates' own variables (their headers list them) come from the same
 * environment. OPS_OWNER=uid:gid hands the files to the user the programs
 * run as (the images' nobody): the tokens are readable by that user only.
 */

const here = dirname(fileURLToPath(import.meta.url));

/** What prepareOps reads beyond the templates' variables. */
const required = ['CONSUL_PROMETHEUS_TOKEN', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'] as const;

export interface OpsConfigFiles {
  readonly prometheusConfig: string;
  readonly alertmanagerConfig: string;
}

export async function prepareOps(
  out: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<OpsConfigFiles> {
  const unset = required.filter((name) => !env[name]);
  if (unset.length > 0) throw new Error(`set ${unset.join(', ')}`);
  const owner = parseOwner(env.OPS_OWNER);
  const prometheusDir = join(out, 'prometheus');
  const alertmanagerDir = join(out, 'alertmanager');
  // Rules removed from ops/ must not linger from an earlier run.
  await rm(join(prometheusDir, 'rules'), { recursive: true, force: true });
  await mkdir(join(prometheusDir, 'rules'), { recursive: true });
  await mkdir(alertmanagerDir, { recursive: true });

  const files = {
    prometheusConfig: join(prometheusDir, 'prometheus.yml'),
    alertmanagerConfig: join(alertmanagerDir, 'alertmanager.yml'),
  };
  const template = async (name: string) => render(await readFile(join(here, name), 'utf8'), env);
  const written: Array<[string, string, number]> = [
    [files.prometheusConfig, await template('prometheus/prometheus.yml'), 0o644],
    [files.alertmanagerConfig, await template('alertmanager/alertmanager.yml'), 0o600],
    [join(prometheusDir, 'consul-token'), `${env.CONSUL_PROMETHEUS_TOKEN}\n`, 0o600],
    [
      join(prometheusDir, 'minio-token'),
      `${minioPrometheusToken(env.MINIO_ROOT_USER ?? '', env.MINIO_ROOT_PASSWORD ?? '')}\n`,
      0o600,
    ],
  ];
  for (const name of await readdir(join(here, 'prometheus/rules'))) {
    const rule = await readFile(join(here, 'prometheus/rules', name), 'utf8');
    written.push([join(prometheusDir, 'rules', name), rule, 0o644]);
  }
  for (const [path, text, mode] of written) {
    await writeFile(path, text, { mode });
    await chmod(path, mode);
  }
  const copied: string[] = [];
  if (env.PROMETHEUS_TLS_DIR) {
    const tls = join(prometheusDir, 'tls');
    await rm(tls, { recursive: true, force: true });
    await cp(env.PROMETHEUS_TLS_DIR, tls, { recursive: true });
    copied.push(tls, ...(await readdir(tls)).map((name) => join(tls, name)));
    // make-certs.sh leaves keys readable by all (each container mounts only its own folder).
    for (const path of copied.filter((file) => /\.(key|pem)$/.test(file))) await chmod(path, 0o600);
  }
  if (owner) {
    const paths = [out, prometheusDir, alertmanagerDir, join(prometheusDir, 'rules')];
    for (const path of [...paths, ...written.map(([path]) => path), ...copied])
      await chown(path, owner.uid, owner.gid);
  }
  return files;
}

function parseOwner(value: string | undefined): { uid: number; gid: number } | undefined {
  if (!value) return undefined;
  const match = /^(\d+):(\d+)$/.exec(value);
  if (!match) throw new Error(`OPS_OWNER is uid:gid in numbers (65534:65534), not ${value}`);
  return { uid: Number(match[1]), gid: Number(match[2]) };
}

if (import.meta.main) {
  const [out] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('usage: node ops/prepare.ts <folder>\n');
    process.exit(2);
  }
  try {
    await prepareOps(out, process.env);
    process.stdout.write(`ops-config: Prometheus and Alertmanager configuration in ${out}\n`);
  } catch (error) {
    process.stderr.write(`ops-config: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
