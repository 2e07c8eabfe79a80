/**
 * GraphQL multipart request bodies built part by part, so tests can take
 * them apart: reorder, repeat, drop or corrupt parts, cut the bytes anywhere.
 */

export interface Part {
  /** Header lines, without CRLF. */
  readonly headers: readonly string[];
  readonly body: Buffer;
}

export interface PartFile {
  readonly field: string;
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType?: string;
}

export function fieldPart(name: string, value: string): Part {
  return {
    headers: [`Content-Disposition: form-data; name="${name}"`],
    body: Buffer.from(value),
  };
}

export function filePart(file: PartFile): Part {
  return {
    headers: [
      `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"`,
      `Content-Type: ${file.contentType ?? 'application/octet-stream'}`,
    ],
    body: file.content,
  };
}

/** operations, map, then the files, for an uploadFiles of `files` into `prefix`. */
export function uploadParts(files: readonly PartFile[], prefix = ''): Part[] {
  const operations = {
    query:
      'mutation ($files: [Upload!]!, $prefix: String) { uploadFiles(files: $files, prefix: $prefix) { id name size checksum } }',
    variables: { files: files.map(() => null), prefix },
  };
  const map = Object.fromEntries(files.map((file, i) => [file.field, [`variables.files.${i}`]]));
  return [
    fieldPart('operations', JSON.stringify(operations)),
    fieldPart('map', JSON.stringify(map)),
    ...files.map(filePart),
  ];
}

/** The body: each part after a delimiter, then (unless `closing` is false) the closing one. */
export function encodeParts(parts: readonly Part[], boundary: string, closing = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`));
    chunks.push(part.body, Buffer.from('\r\n'));
  }
  if (closing) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Headers of a multipart GraphQL request as our clients send it. */
export function multipartHeaders(boundary: string): Record<string, string> {
  return {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'apollo-require-preflight': 'true',
  };
}
