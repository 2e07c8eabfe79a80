import { usageError } from './errors.ts';

/**
 * Where the CLI talks to and as whom: a flag wins over the environment,
 * the environment over the default. The only module that reads the
 * environment (main passes it in; tests pass their own).
 */
export const settings = [
  {
    flag: '--url',
    env: 'FILEGRAPH_URL',
    default: 'http://localhost:4000',
    doc: "the gateway's origin",
  },
  {
    flag: '--token',
    env: 'FILEGRAPH_TOKEN',
    default: '',
    doc: 'an API token, sent as Authorization: Bearer <token>',
  },
] as const;

export interface Endpoint {
  /** The origin (and path prefix, if any) with no trailing slash, e.g. http://localhost:4000 */
  readonly base: string;
  readonly token: string | undefined;
}

export function endpointFrom(
  flags: { url?: string | undefined; token?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Endpoint {
  const rawUrl = flags.url ?? (env.FILEGRAPH_URL || settings[0].default);
  const source = flags.url !== undefined ? '--url' : 'FILEGRAPH_URL';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw usageError(
      `${source} is not a URL: ${JSON.stringify(rawUrl)} (e.g. http://localhost:4000)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${source} must be an http:// or https:// URL (got ${url.protocol}//…)`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw usageError(
      `${source} must be an origin, like http://localhost:4000, with no query, fragment or credentials (use --token)`,
    );
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
  const token = flags.token ?? env.FILEGRAPH_TOKEN ?? '';
  if (/[\s\x00-\x1f\x7f]/.test(token)) {
    const name = flags.token !== undefined ? '--token' : 'FILEGRAPH_TOKEN';
    throw usageError(`${name} contains spaces or control characters; a token is one word`);
  }
  return { base, token: token === '' ? undefined : token };
}
