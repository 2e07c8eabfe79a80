import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import express, { Router, type RequestHandler } from 'express';
import type { RenderOptions } from 'altair-static';
import { pageHeaders } from './pageHeaders.ts';

/**
 * The GraphQL playground at /playground: Altair's self-hosted build, served
 * from this origin, so it works with no internet (Apollo's landing page loads
 * from a CDN and is blank offline) and can send multipart file uploads.
 * Every query and mutation has an example tab; uploads carry the header
 * Apollo Server's CSRF prevention asks for.
 */

const fileFields = 'id name size contentType checksum createdAt updatedAt url';

interface Example {
  readonly title: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export const examples: readonly Example[] = [
  {
    title: 'me',
    query: `# Who you are. The playground uses the web UI's session: sign in there (or
# with the signIn tab). Scripts send a header instead: add
#   Authorization: Bearer <token>
# in this window's headers, with a token from createToken.
query Me {
  me { id email name role }
}`,
    variables: {},
  },
  {
    title: 'signIn',
    query: `# Starts a session in this browser (a cookie the playground then sends).
mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { id email role }
}`,
    variables: { email: 'you@example.com', password: 'your password' },
  },
  {
    title: 'createToken',
    query: `# An API token for scripts: copy \`token\` now, it is never shown again.
mutation CreateToken($name: String!, $days: Int) {
  createToken(name: $name, expiresInDays: $days) { token info { id name expiresAt } }
}`,
    variables: { name: 'my script', days: 30 },
  },
  {
    title: 'createShareLink',
    query: `# A link that downloads one file for anyone who has it (and the password, if set).
mutation CreateShareLink($id: ID!, $hours: Int, $password: String) {
  createShareLink(fileId: $id, expiresInHours: $hours, password: $password) { id url expiresAt }
}`,
    variables: { id: 'paste-an-id-from-files', hours: 24, password: null },
  },
  {
    title: 'files',
    query: `# Files in a folder, a page at a time (pass pageInfo.endCursor as "after").
query Files($prefix: String, $search: String, $after: String) {
  files(first: 20, prefix: $prefix, search: $search, after: $after, recursive: true,
        orderBy: { field: NAME, direction: ASC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${fileFields} }
  }
}`,
    variables: { prefix: null, search: null, after: null },
  },
  {
    title: 'file',
    query: `query File($id: ID!) {
  file(id: $id) { ${fileFields} }
}`,
    variables: { id: 'paste-an-id-from-files' },
  },
  {
    title: 'folders',
    query: `# The folders directly inside a prefix ("" or null for the top).
query Folders($prefix: String) {
  folders(prefix: $prefix) { path name }
}`,
    variables: { prefix: null },
  },
  {
    title: 'uploadLimits',
    query: `query UploadLimits {
  uploadLimits { maxFileSize maxFiles }
}`,
    variables: {},
  },
  {
    title: 'health',
    query: `query Health {
  health {
    status version uptimeSeconds checkedAt
    dependencies { name status latencyMs error }
    services { name status instances { name status latencyMs url error } }
  }
}`,
    variables: {},
  },
  {
    title: 'uploadFiles',
    query: `# Pick files with the ··· button next to $files, then Send Request.
mutation UploadFiles($files: [Upload!]!, $prefix: String, $overwrite: Boolean) {
  uploadFiles(files: $files, prefix: $prefix, overwrite: $overwrite) { ${fileFields} }
}`,
    variables: { prefix: 'playground/', overwrite: false },
  },
  {
    title: 'replaceFile',
    query: `# Pick the new content with the ··· button next to $file, then Send Request: id and name stay.
mutation ReplaceFile($id: ID!, $file: Upload!) {
  replaceFile(id: $id, file: $file) { ${fileFields} }
}`,
    variables: { id: 'paste-an-id-from-files' },
  },
  {
    title: 'renameFile',
    query: `# The full new name; "/" moves the file to another folder. The answer has its new id.
mutation RenameFile($id: ID!, $name: String!, $overwrite: Boolean) {
  renameFile(id: $id, name: $name, overwrite: $overwrite) { ${fileFields} }
}`,
    variables: { id: 'paste-an-id-from-files', name: 'playground/renamed.txt', overwrite: false },
  },
  {
    title: 'deleteFiles',
    query: `# Answers with the ids it deleted; an id left out was already gone.
mutation DeleteFiles($ids: [ID!]!) {
  deleteFiles(ids: $ids)
}`,
    variables: { ids: ['paste-an-id-from-files'] },
  },
];

/**
 * Altair needs an absolute endpoint, and only the browser knows the origin it
 * reached us by (behind proxies the gateway cannot tell): a placeholder URL is
 * rendered, then swapped for `location.origin` in the page's init script.
 */
const placeholder = 'https://filegraph.invalid/graphql';
const renderedPlaceholder = `\`${placeholder}\``;

/**
 * Altair's page has an inline init script and style, and it hands its
 * `cspNonce` to Angular, CodeMirror and Emotion for the styles they add as
 * it runs (https://altairgraphql.dev/docs/features/csp). The page is
 * rendered once with this stand-in and each answer swaps in a fresh nonce.
 */
const nonceSlot = 'filegraph-csp-nonce';

/**
 * Looser than the UI's only where Altair needs it: nonced inline script and
 * styles, data: images (its icons), its web workers, and its pre-request
 * script evaluator, a frame of iframe-sandbox/ from this origin. Still
 * refused, to no visible effect (the browser test lists them): eval, which
 * zod and Altair only probe for before doing without, and a few empty or
 * soon-replaced <style> elements Altair's libraries add without the nonce.
 * connect-src stays 'self': the playground is for this gateway's API.
 */
function playgroundPolicy(nonce: string | undefined): string[] {
  const nonced = nonce ? ` 'nonce-${nonce}'` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${nonced}`,
    `style-src 'self'${nonced}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "frame-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
  ];
}

/**
 * iframe-sandbox/ runs pre-request scripts, with eval, in a frame of the
 * playground (Altair's own middleware turns CSP off for it). Altair's
 * suggested `sandbox` policy would break it here: served from this origin,
 * an opaque-origin frame can neither load its module scripts nor pass
 * Altair's check of the origin its answers come from.
 */
const sandboxHeaders = pageHeaders({
  policy: [
    "default-src 'none'",
    "script-src 'self' 'unsafe-eval'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
  ],
  framing: 'self',
});
const assetHeaders = pageHeaders({ policy: playgroundPolicy(undefined) });

function options(): RenderOptions {
  return {
    baseURL: '/playground/',
    endpointURL: placeholder,
    initialName: 'filegraph',
    initialHeaders: { 'Apollo-Require-Preflight': 'true' },
    initialWindows: examples.map((example) => ({
      initialName: example.title,
      endpointURL: placeholder,
      initialQuery: example.query,
      initialVariables: JSON.stringify(example.variables, null, 2),
      initialHeaders: { 'Apollo-Require-Preflight': 'true' },
    })),
    disableAccount: true,
    cspNonce: nonceSlot,
    initialSettings: {
      'alert.disableUpdateNotification': true,
      'banners.disable': true,
      disablePushNotification: true,
      'schema.reloadOnStart': true,
    },
  };
}

interface Playground {
  readonly page: string;
  readonly assets: RequestHandler;
}

/**
 * Renders Altair's page in a worker that exits once it has answered.
 * altair-static is a 0.5 MB bundle that holds ~7 MiB of heap for as long as
 * it is loaded, and a process cannot unload a module: rendered here, it
 * would sit in every gateway whether or not anybody opens the playground.
 */
async function renderPlayground(): Promise<Playground> {
  const worker = new Worker(new URL('./renderPlayground.ts', import.meta.url), {
    workerData: options(),
  });
  const { page, assets } = await new Promise<{ page: string; assets: string }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the playground's renderer exited (code ${code}) before answering`)),
      );
    },
  );
  return {
    page: page.replaceAll(renderedPlaceholder, "(location.origin + '/graphql')"),
    assets: express.static(assets, { index: false, maxAge: '1d' }),
  };
}

export function playgroundRoutes(): Router {
  const router = Router();
  // Rendered on the first visit and kept; a failed render is tried again on the next.
  let rendered: Promise<Playground> | undefined;
  const playground = () =>
    (rendered ??= renderPlayground().catch((error: unknown) => {
      rendered = undefined;
      throw error;
    }));
  router.use((req, res, next) => {
    res.set(req.path.startsWith('/iframe-sandbox/') ? sandboxHeaders : assetHeaders);
    next();
  });
  router.get('/', (req, res, next) => {
    // Altair's assets are relative to /playground/: the bare path would load them from /.
    if (!req.originalUrl.split('?')[0]?.endsWith('/')) return res.redirect(301, '/playground/');
    playground().then(({ page }) => {
      const nonce = randomBytes(16).toString('base64');
      res
        .set(pageHeaders({ policy: playgroundPolicy(nonce) }))
        // A nonce is good for one answer: none is kept to be shown again.
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(page.replaceAll(nonceSlot, nonce));
    }, next);
  });
  router.use((req, res, next) => {
    playground().then(({ assets }) => assets(req, res, next), next);
  });
  return router;
}
