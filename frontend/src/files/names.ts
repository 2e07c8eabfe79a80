/** File names are full paths with "/" between folders (e.g. photos/2024/beach.jpg). */

/** "photos/2024/beach.jpg" → "photos/2024/"; "" at the top. */
export function folderOf(name: string): string {
  return name.slice(0, name.lastIndexOf('/') + 1);
}

/** "photos/2024/beach.jpg" → "beach.jpg". */
export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * Where a folder goes when it is given `name` (which may hold "/" to move it
 * deeper, as a file's new name may): "a/b/" named "c" → "a/c/". Undefined
 * for an empty name.
 */
export function renamedFolder(path: string, name: string): string | undefined {
  const cleaned = name.trim().replace(/^\/+|\/+$/g, '');
  if (!cleaned) return undefined;
  return `${folderOf(path.replace(/\/+$/, ''))}${cleaned}/`;
}

/** The crumbs of a folder path: "a/b/" → [{ name: a, path: a/ }, { name: b, path: a/b/ }]. */
export function crumbsOf(prefix: string): Array<{ name: string; path: string }> {
  const crumbs: Array<{ name: string; path: string }> = [];
  let path = '';
  for (const part of prefix.split('/')) {
    if (!part) continue;
    path += `${part}/`;
    crumbs.push({ name: part, path });
  }
  return crumbs;
}

/**
 * The folder a file picked from a folder (or dropped with one) goes into:
 * the current folder plus its relative folder. The multipart parser keeps only
 * a base name, so the folder travels as the upload's `prefix`.
 */
export function uploadPrefix(currentFolder: string, relativePath: string): string {
  return currentFolder + folderOf(relativePath.replace(/^\/+/, ''));
}

export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'text' | 'archive' | 'other';

const textTypes =
  /^(text\/|application\/(json|xml|javascript|x-sh|x-yaml|yaml|toml|x-ndjson|sql|graphql))/;
const textNames =
  /\.(txt|md|markdown|csv|tsv|json|ya?ml|toml|xml|html?|css|js|mjs|ts|tsx|jsx|py|rs|go|java|c|h|cpp|sh|log|ini|conf|sql|graphql|env)$/i;

export function kindOf(file: { contentType: string; name: string }): FileKind {
  const type = file.contentType.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'application/pdf') return 'pdf';
  if (textTypes.test(type) || textNames.test(file.name)) return 'text';
  if (/zip|tar|gzip|x-7z|rar|bzip|xz|zstd/.test(type)) return 'archive';
  return 'other';
}

/** Kinds the preview panel can show. */
export function canPreview(kind: FileKind): boolean {
  return kind !== 'archive' && kind !== 'other';
}

/** The download URL that makes the browser save rather than show the file. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}download`;
}

/** The file's URL for showing it: the checksum keeps a cached old version from showing after a replace. */
export function versionedUrl(file: { url: string; checksum: string }): string {
  if (/[?&]v=/.test(file.url)) return file.url;
  return `${file.url}${file.url.includes('?') ? '&' : '?'}v=${encodeURIComponent(file.checksum.slice(0, 16))}`;
}
