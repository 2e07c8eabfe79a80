/**
 * `fetch` on XMLHttpRequest, for urql: fetch cannot report upload progress,
 * XHR can. Reads `onUploadProgress` from the request options (urql passes
 * `fetchOptions` through) and aborts with `signal`, as fetch does.
 */

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

export interface XhrRequestInit extends RequestInit {
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** Statuses whose response has no body; `new Response(body, …)` refuses one. */
const nullBodyStatus = new Set([101, 204, 205, 304]);

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function xhrFetch(input: RequestInfo | URL, init: XhrRequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const signal = init.signal;
    if (signal?.aborted) {
      reject(new DOMException('The request was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const url = input instanceof Request ? input.url : String(input);
    xhr.open(init.method ?? 'GET', url);
    new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
    const onUploadProgress = init.onUploadProgress;
    if (onUploadProgress) {
      xhr.upload.addEventListener('progress', (event) =>
        onUploadProgress({
          loaded: event.loaded,
          total: event.lengthComputable ? event.total : Number.NaN,
        }),
      );
    }
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.addEventListener('load', () => {
      settle();
      const body = nullBodyStatus.has(xhr.status) ? null : xhr.responseText;
      resolve(
        new Response(body, {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        }),
      );
    });
    xhr.addEventListener('error', () => {
      settle();
      reject(new TypeError('The server could not be reached.'));
    });
    xhr.addEventListener('timeout', () => {
      settle();
      reject(new TypeError('The server took too long to answer.'));
    });
    xhr.addEventListener('abort', () => {
      settle();
      reject(new DOMException('The request was cancelled.', 'AbortError'));
    });
    xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
  });
}
