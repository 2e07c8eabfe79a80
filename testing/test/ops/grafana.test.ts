import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { root } from '@filegraph/processes/root';

/**
 * ops/grafana as Grafana reads it when compose mounts it: the provisioning
 * files are YAML of Grafana's provisioning format, and the dashboards name
 * only the data sources provisioned there, by uid (a dashboard naming any
 * other shows "data source not found" in every panel). What the PromQL
 * expressions return is scripts/test/dashboard.e2e.ts's business.
 */

const grafana = join(root, 'ops/grafana');

interface DataSource {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly access: string;
}

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: ReadonlyArray<{
    readonly refId: string;
    readonly expr?: string;
    readonly datasource?: { readonly type: string; readonly uid: string };
  }>;
}

async function yamlIn(folder: string): Promise<unknown[]> {
  const names = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name));
  assert.ok(names.length > 0, `no YAML in ${folder}`);
  return Promise.all(names.map(async (name) => parse(await readFile(join(folder, name), 'utf8'))));
}

async function dataSources(): Promise<DataSource[]> {
  const files = (await yamlIn(join(grafana, 'provisioning/datasources'))) as Array<{
    apiVersion: number;
    datasources: DataSource[];
  }>;
  for (const file of files) assert.equal(file.apiVersion, 1);
  return files.flatMap((file) => file.datasources);
}

async function dashboards(): Promise<Array<{ file: string; uid: string; panels: Panel[] }>> {
  const folder = join(grafana, 'dashboards');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.json'));
  return Promise.all(
    names.map(async (file) => ({
      file,
      ...(JSON.parse(await readFile(join(folder, file), 'utf8')) as {
        uid: string;
        panels: Panel[];
      }),
    })),
  );
}

describe('Grafana’s provisioning and dashboards', () => {
  test('when Grafana starts, then it finds Prometheus and VictoriaLogs at their compose addresses, under fixed uids', async () => {
    const sources = await dataSources();
    assert.deepEqual(
      sources.map(({ uid, type, url, access }) => ({ uid, type, url, access })),
      [
        { uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090', access: 'proxy' },
        {
          uid: 'victorialogs',
          type: 'victoriametrics-logs-datasource',
          url: 'http://victorialogs:9428',
          access: 'proxy',
        },
      ],
    );
  });

  test('when Grafana provisions dashboards, then it reads the folder compose mounts the dashboards at', async () => {
    const [file] = (await yamlIn(join(grafana, 'provisioning/dashboards'))) as Array<{
      apiVersion: number;
      providers: Array<{ type: string; options: { path: string } }>;
    }>;
    assert.equal(file?.apiVersion, 1);
    assert.deepEqual(
      file?.providers.map(({ type, options }) => ({ type, path: options.path })),
      [{ type: 'file', path: '/etc/grafana/dashboards' }],
    );
  });

  test('when a dashboard is opened, then every panel queries a provisioned data source by its uid, with distinct ids', async () => {
    const uids = new Map((await dataSources()).map((source) => [source.uid, source.type]));
    const all = await dashboards();
    assert.deepEqual(
      all.map(({ file, uid }) => [file, uid]),
      [['filegraph.json', 'filegraph']],
    );
    for (const { file, panels } of all) {
      assert.equal(new Set(panels.map((panel) => panel.id)).size, panels.length, `${file}: ids`);
      for (const panel of panels.filter((one) => one.type !== 'row')) {
        const where = `${file}: "${panel.title}"`;
        assert.ok(panel.datasource, `${where} has no data source`);
        assert.equal(uids.get(panel.datasource.uid), panel.datasource.type, where);
        assert.ok((panel.targets ?? []).length > 0, `${where} queries nothing`);
        for (const target of panel.targets ?? []) {
          assert.ok(target.expr, `${where} ${target.refId} has no expression`);
          if (target.datasource)
            assert.deepEqual(target.datasource, panel.datasource, `${where} ${target.refId}`);
        }
      }
    }
  });

  test('when the filegraph dashboard is read, then it shows what issue 17 asks for, logs included', async () => {
    const [dashboard] = await dashboards();
    const exprs = (dashboard?.panels ?? []).flatMap((panel) =>
      (panel.targets ?? []).map((target) => `${panel.datasource?.uid} ${target.expr}`),
    );
    for (const wanted of [
      /^prometheus .*filegraph_graphql_operations_total/,
      /^prometheus .*filegraph_graphql_errors_total/,
      /^prometheus histogram_quantile\(0\.5, .*filegraph_http_request_duration_seconds_bucket/,
      /^prometheus histogram_quantile\(0\.95, .*filegraph_http_request_duration_seconds_bucket/,
      /^prometheus .*filegraph_upload_duration_seconds_bucket/,
      /^prometheus .*filegraph_upload_bytes_total/,
      /^prometheus .*filegraph_download_bytes_total/,
      /^prometheus sum by \(job\) \(up\)$/,
      /^prometheus .*filegraph_supergraph_state/,
      /^prometheus .*minio_cluster_capacity_usable/,
      /^victorialogs /,
    ])
      assert.ok(
        exprs.some((expr) => wanted.test(expr)),
        `no panel queries ${wanted}`,
      );
  });
});
