/** Bytes of a text file the preview shows; the rest is a download away. */
export const textPreviewBytes = 256 * 1024;

export interface TextPreview {
  readonly text: string;
  readonly truncated: boolean;
}

/** The start of a text file, asked for with a Range header so big logs stay cheap. */
export async function loadTextPreview(
  url: string,
  size: number,
  fetchImpl: typeof fetch = fetch,
): Promise<TextPreview> {
  const response = await fetchImpl(url, {
    headers: { range: `bytes=0-${textPreviewBytes - 1}` },
  });
  if (!response.ok) {
    throw new Error(
      response.status === 404
        ? 'This file is gone: someone deleted or renamed it.'
        : `The file could not be read (HTTP ${response.status}).`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const shown = bytes.subarray(0, textPreviewBytes);
  return {
    text: new TextDecoder('utf-8', { fatal: false }).decode(shown),
    truncated: size > shown.length,
  };
}
