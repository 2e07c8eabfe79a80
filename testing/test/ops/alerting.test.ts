import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '@filegraph/processes/ports';
import { alertmanager, mailpit, prometheus } from '@filegraph/processes/ops';
import { startProcess, type ManagedProcess } from '@filegraph/processes/processes';
import { root } from '@filegraph/processes/root';
import { render } from '../../../ops/render.ts';
import { eventually } from '../../src/eventually.ts';
import { inbox } from '../../src/mailpit.ts';
import { tempDir } from '../../src/temp.ts';

/**
 * Issue 17's promise, end to end on 127.0.0.1: Prometheus scrapes an
 * instance and evaluates ops/prometheus/rules as they are (InstanceDown waits
 * 30 s), Alertmanager runs ops/alertmanager/alertmanager.yml filled in for
 * Mailpit, and the instance is a real process, killed and started again.
 * What is asserted is what the operator sees: emails in Mailpit's inbox.
 */

const rules = join(root, 'ops/prometheus/rules/filegraph.yml');
const alertmanagerTemplate = join(root, 'ops/alertmanager/alertmanager.yml');
const recipient = 'ops@example.com';

// An instance as Prometheus sees one: /metrics in the text format, until it is killed.
const instanceScript = `
const port = Number(process.argv[1]);
require('node:http')
  .createServer((req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(req.url === '/metrics' ? 'filegraph_up{service="files"} 1\\n' : '');
  })
  .listen(port, '127.0.0.1', () => console.log('listening'));
`;

describe('an instance that dies, as an email', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  const running: ManagedProcess[] = [];
  let instance: ManagedProcess | undefined;
  let instancePort: number;
  let prometheusUrl: string;
  let mailpitUrl: string;

  const startInstance = async () => {
    instance = await startProcess({
      name: 'files instance',
      command: process.execPath,
      args: ['-e', instanceScript, String(instancePort)],
      ready: (line) => line === 'listening',
    });
  };

  async function upValue(): Promise<string | undefined> {
    const query = new URLSearchParams({ query: 'up{job="files"}' });
    const response = await fetch(`${prometheusUrl}/api/v1/query?${query}`);
    const body = (await response.json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    return body.data.result[0]?.value[1];
  }

  async function subjects(): Promise<string[]> {
    return (await inbox(mailpitUrl, recipient)).map((email) => email.subject);
  }

  const emailed = (subject: string, timeoutMs: number) =>
    eventually(
      `an email "${subject}"`,
      async () => ((await subjects()).includes(subject) ? subject : undefined),
      timeoutMs,
      1_000,
    );

  before(async () => {
    folder = await tempDir('alerting');
    const [smtpPort, mailpitPort, alertmanagerPort, prometheusPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    instancePort = await freePort();

    const mail = mailpit({ smtpPort, httpPort: mailpitPort, dataDir: folder.path });
    mailpitUrl = mail.url;
    running.push(await startProcess(mail));

    const alertmanagerConfig = join(folder.path, 'alertmanager.yml');
    await writeFile(
      alertmanagerConfig,
      render(await readFile(alertmanagerTemplate, 'utf8'), {
        ALERT_EMAIL: recipient,
        SMTP_SMARTHOST: `127.0.0.1:${smtpPort}`,
      }),
    );
    running.push(
      await startProcess(
        alertmanager({
          configFile: alertmanagerConfig,
          port: alertmanagerPort,
          dataDir: join(folder.path, 'alertmanager'),
        }),
      ),
    );

    // The rules as they are; only how often Prometheus looks is quicker than in ops/prometheus.
    const prometheusConfig = join(folder.path, 'prometheus.yml');
    await writeFile(
      prometheusConfig,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${rules}']`,
        'alerting:',
        `  alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${alertmanagerPort}'] }] }]`,
        'scrape_configs:',
        `  - { job_name: files, static_configs: [{ targets: ['127.0.0.1:${instancePort}'] }] }`,
        '',
      ].join('\n'),
    );
    await startInstance();
    const scraper = prometheus({
      configFile: prometheusConfig,
      port: prometheusPort,
      dataDir: join(folder.path, 'prometheus'),
    });
    prometheusUrl = scraper.url;
    running.push(await startProcess(scraper));
  });

  after(async () => {
    await Promise.all([instance, ...running].map((child) => child?.stop(5_000)));
    await folder.remove();
  });

  test(
    'when an instance stops answering, then after 30 s an email names its service and instance, and one more says resolved once it is back',
    { timeout: 240_000 },
    async () => {
      await eventually(
        'Prometheus scraping the instance',
        async () => ((await upValue()) === '1' ? true : undefined),
        15_000,
        500,
      );
      const target = `127.0.0.1:${instancePort}`;

      instance?.kill('SIGKILL');
      await instance?.exited;
      const killed = performance.now();
      await emailed(`[FIRING] InstanceDown: files instance ${target}`, 90_000);
      const seconds = (performance.now() - killed) / 1_000;
      assert.ok(seconds >= 30, `emailed ${seconds.toFixed(1)} s after the kill, before the 30 s`);

      await startInstance();
      await emailed(`[RESOLVED] InstanceDown: files instance ${target}`, 90_000);
    },
  );
});
