import { crc32, deflateSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A solid-colour PNG, width × height, made here so tests need no image files. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).fill(Buffer.from(rgb))]);
  const pixels = Buffer.concat(
    Array.from({ length: height }, (_, y) => {
      // A lighter band, so a preview visibly shows the picture.
      if (y > height / 3 && y < (2 * height) / 3) {
        return Buffer.concat([
          Buffer.from([0]),
          Buffer.alloc(width * 3).fill(Buffer.from(rgb.map((c) => Math.min(255, c + 90)))),
        ]);
      }
      return row;
    }),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Files written straight into the disk store's folder before the server
 * starts: the disk driver catalogues what it finds at start.
 */
export async function seedFiles(
  dataDir: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dataDir, 'files', name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}
