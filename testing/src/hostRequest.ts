import { request, type IncomingHttpHeaders } from 'node:http';

export interface HostAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A plain-HTTP request to `url` (on 127.0.0.1) that may say it is for
 * another `host`, as a browser does after DNS rebinding or when someone types
 * http://: fetch cannot send another Host, node:http can.
 */
export function hostRequest(
  url: string | URL,
  options: { host?: string; method?: string; body?: string } = {},
): Promise<HostAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(options.host ? { host: options.host } : {}),
          ...(options.body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (answer) => {
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (body += chunk));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}
