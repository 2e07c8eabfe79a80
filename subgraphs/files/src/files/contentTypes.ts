/**
 * Content types: the one a client declares is kept when it is well formed
 * and says more than "some bytes"; otherwise the name's extension decides.
 * Downloads are shown in the browser only for types that cannot run script
 * on our origin (see inlineSafe); everything else is an attachment.
 */

const byExtension: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  bmp: 'image/bmp',
  gif: 'image/gif',
  heic: 'image/heic',
  ico: 'image/x-icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
  aac: 'audio/aac',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp3: 'audio/mpeg',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  wav: 'audio/wav',
  weba: 'audio/webm',
  avi: 'video/x-msvideo',
  m4v: 'video/mp4',
  mkv: 'video/x-matroska',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  ogv: 'video/ogg',
  webm: 'video/webm',
  csv: 'text/csv',
  css: 'text/css',
  htm: 'text/html',
  html: 'text/html',
  ics: 'text/calendar',
  js: 'text/javascript',
  log: 'text/plain',
  md: 'text/markdown',
  mjs: 'text/javascript',
  text: 'text/plain',
  ts: 'text/plain',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  '7z': 'application/x-7z-compressed',
  bz2: 'application/x-bzip2',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  epub: 'application/epub+zip',
  gz: 'application/gzip',
  iso: 'application/x-iso9660-image',
  json: 'application/json',
  odp: 'application/vnd.oasis.opendocument.presentation',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odt: 'application/vnd.oasis.opendocument.text',
  pdf: 'application/pdf',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  rar: 'application/vnd.rar',
  rtf: 'application/rtf',
  tar: 'application/x-tar',
  wasm: 'application/wasm',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xz: 'application/x-xz',
  zip: 'application/zip',
  zst: 'application/zstd',
};

export const defaultContentType = 'application/octet-stream';

const wellFormed = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** The type to store for a file named `name` that its client called `declared`. */
export function contentTypeFor(name: string, declared: string | undefined): string {
  const essence = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const vague =
    essence === '' || essence === defaultContentType || essence === 'binary/octet-stream';
  if (!vague && wellFormed.test(essence) && essence.length <= 127) return essence;
  const dot = name.lastIndexOf('.');
  const extension = dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : '';
  return byExtension[extension] ?? defaultContentType;
}

const inlineImages = new Set([
  'image/avif',
  'image/bmp',
  'image/gif',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/x-icon',
]);

/**
 * Types a browser may show in place. SVG and HTML are not among them: both
 * can carry script. Text is served as text/plain so markup never renders.
 */
export function inlineSafe(contentType: string): boolean {
  return (
    inlineImages.has(contentType) ||
    contentType.startsWith('audio/') ||
    contentType.startsWith('video/') ||
    contentType === 'application/pdf' ||
    contentType === 'text/plain'
  );
}
