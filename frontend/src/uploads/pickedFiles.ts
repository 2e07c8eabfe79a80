/** A file to upload and its folder relative to where it was picked or dropped ("" for none). */
export interface PickedFile {
  readonly file: File;
  readonly relativePath: string;
}

/** Files from an <input type=file>, with their folder when a whole folder was picked. */
export function filesFromInput(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => ({
    file,
    relativePath: file.webkitRelativePath || file.name,
  }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (100 in Chromium) until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, found: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    found.push({ file, relativePath: entry.fullPath.replace(/^\/+/, '') });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, found);
  }
}

/**
 * Files from a drop, folders walked where the browser allows it. The data
 * transfer is only readable during the drop event, so entries and files are
 * taken from it at once; folders are read afterwards.
 */
export function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const plain: PickedFile[] = [];
  for (const item of [...transfer.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plain.push({ file, relativePath: file.name });
    }
  }
  if (entries.length === 0 && plain.length === 0) {
    plain.push(...[...transfer.files].map((file) => ({ file, relativePath: file.name })));
  }
  return (async () => {
    const found = [...plain];
    for (const entry of entries) await walk(entry, found);
    return found;
  })();
}
