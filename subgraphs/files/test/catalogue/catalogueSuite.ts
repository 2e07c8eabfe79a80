import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '@filegraph/shared/errors';
import {
  legacyOwner,
  type Catalogue,
  type FileRecord,
  type ListQuery,
  type WriteTarget,
} from '../../src/catalogue/Catalogue.ts';
import { searchFold } from '../../src/catalogue/paths.ts';
import { newKey } from '../../src/storage/keys.ts';

/**
 * The catalogue's promises, held against each driver directly: one suite,
 * run on SQLite and on a real PostgreSQL. `start` gives a fresh, open
 * catalogue whose replaced versions stay `keepReplacedMs` (short here).
 */
export const keepReplacedMs = 300;

const codeOf = (error: unknown) => (error as AppError).code;

async function refused(work: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(work, (error) => codeOf(error) === code);
}

/** The owner of every file this suite writes, unless a test says otherwise. */
const owner = '0a11ce00-0000-4000-8000-000000000001';
const otherOwner = '0b0b0000-0000-4000-8000-000000000002';
const admin = 'ad000000-0000-4000-8000-000000000003';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function catalogueSuite(
  driver: string,
  start: () => Promise<{ catalogue: Catalogue; stop(): Promise<void> }>,
): void {
  describe(`the ${driver} catalogue`, () => {
    let catalogue: Catalogue;
    let stop: () => Promise<void>;

    before(async () => {
      ({ catalogue, stop } = await start());
    });
    after(() => stop?.());

    let size = 0;
    /** Writes as FileService does: keys intended, bytes "written", one commit, garbage if it fails. */
    const putAll = async (
      targets: ReadonlyArray<{ target: WriteTarget; bytes?: number }>,
      who = owner,
    ): Promise<FileRecord[]> => {
      const keys = targets.map(() => newKey());
      await catalogue.intend(keys);
      try {
        return await catalogue.commit(
          who,
          targets.map(({ target, bytes }, index) => {
            size += 1;
            const key = keys[index] as string;
            return {
              target,
              written: {
                key,
                size: bytes ?? size,
                checksum: `sum-${key}`,
                contentType: 'text/plain',
              },
            };
          }),
        );
      } catch (error) {
        await catalogue.abandon(keys);
        throw error;
      }
    };
    const put = async (target: WriteTarget, bytes?: number, who = owner): Promise<FileRecord> =>
      (await putAll([{ target, bytes }], who))[0] as FileRecord;
    const create = (name: string, bytes?: number) => put({ mode: 'create', name }, bytes);
    const query = (change: Partial<ListQuery> = {}): ListQuery => ({
      prefix: '',
      recursive: true,
      search: undefined,
      order: { field: 'name', descending: false },
      after: undefined,
      limit: 1000,
      ...change,
    });
    /** A file whose bytes were stored before the catalogue, as the reconciler finds it. */
    const legacyFile = (name: string) => ({
      name,
      key: newKey(),
      size: 3,
      checksum: 'sum',
      contentType: 'text/plain',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const names = async (change: Partial<ListQuery> = {}) =>
      (await catalogue.list(owner, query(change))).files.map((file) => file.name);
    /** Every file a listing gives, page by page. */
    const all = async (change: Partial<ListQuery>, limit: number) => {
      const files: FileRecord[] = [];
      let after: ListQuery['after'];
      for (;;) {
        const page = await catalogue.list(owner, query({ ...change, limit, after }));
        files.push(...page.files);
        const last = page.files.at(-1);
        if (!page.hasMore || !last) return files;
        const field = change.order?.field ?? 'name';
        after = {
          name: last.name,
          value:
            field === 'size'
              ? last.size
              : field === 'updatedAt'
                ? last.updatedAt.getTime()
                : undefined,
        };
      }
    };

    it('when a file is created, then it has a stable id, and a second file of that name is refused', async () => {
      const file = await create('basics/a.txt');
      assert.match(file.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(await catalogue.get(file.id), file);
      assert.deepEqual(await catalogue.find(owner, 'basics/a.txt'), file);
      await refused(create('basics/a.txt'), 'CONFLICT');
      assert.equal(await catalogue.get('not-an-id'), undefined);
      assert.equal(await catalogue.get(file.id.toUpperCase()), undefined);
      assert.equal(await catalogue.get("' OR 1=1 --"), undefined);
    });

    it('when names differ only in case, then they are two files, and both drivers list them in byte order', async () => {
      await create('case/B.txt');
      await create('case/a.txt');
      await create('case/A.txt');
      await create('case/é.txt');
      await create('case/z.txt');
      assert.deepEqual(await names({ prefix: 'case/' }), [
        'case/A.txt',
        'case/B.txt',
        'case/a.txt',
        'case/z.txt',
        'case/é.txt',
      ]);
    });

    it('when a name is a file, then it cannot be a folder, and the other way round', async () => {
      await create('shape/thing');
      await refused(create('shape/thing/inside'), 'CONFLICT');
      await create('shape/folder/inside');
      await refused(create('shape/folder'), 'CONFLICT');
      const other = await create('shape/other');
      await refused(catalogue.rename(other.id, 'shape/folder', false), 'CONFLICT');
      await refused(catalogue.rename(other.id, 'shape/thing/x', false), 'CONFLICT');
    });

    it('when several files are committed at once, then they come back in order, and one refusal keeps none of them', async () => {
      await create('batch/taken.txt');
      const before = await catalogue.list(owner, query({ prefix: 'batch/' }));
      const committed = await putAll([
        { target: { mode: 'create', name: 'batch/one.txt' } },
        { target: { mode: 'upsert', name: 'batch/taken.txt' } },
        { target: { mode: 'create', name: 'batch/sub/two.txt' } },
      ]);
      assert.deepEqual(
        committed.map((file) => file.name),
        ['batch/one.txt', 'batch/taken.txt', 'batch/sub/two.txt'],
      );
      assert.equal(committed[1]?.id, before.files[0]?.id, 'the upsert kept the file');
      const counted = await catalogue.list(owner, query({ prefix: 'batch/' }));
      assert.equal(counted.totalCount, 3);
      for (const refusedBatch of [
        // A taken name in the middle: the files before it are not kept either.
        [
          { mode: 'create', name: 'batch/three.txt' },
          { mode: 'create', name: 'batch/one.txt' },
        ],
        // A file and a folder of one name in one commit, in either order.
        [
          { mode: 'create', name: 'batch/x' },
          { mode: 'create', name: 'batch/x/y' },
        ],
        [
          { mode: 'create', name: 'batch/z/y' },
          { mode: 'create', name: 'batch/z' },
        ],
        // One name twice.
        [
          { mode: 'upsert', name: 'batch/twice' },
          { mode: 'upsert', name: 'batch/twice' },
        ],
      ] as const) {
        await refused(putAll(refusedBatch.map((target) => ({ target }))), 'CONFLICT');
      }
      assert.deepEqual(await names({ prefix: 'batch/' }), [
        'batch/one.txt',
        'batch/sub/two.txt',
        'batch/taken.txt',
      ]);
      assert.equal((await catalogue.list(owner, query({ prefix: 'batch/' }))).totalCount, 3);
      assert.deepEqual(await catalogue.folders(owner, 'batch/'), ['batch/sub/']);
    });

    it('when a file is replaced, then it keeps id, name and createdAt, and the old bytes are garbage only after a while', async () => {
      const file = await create('replace/doc.txt');
      const removed: string[] = [];
      const sweep = () => catalogue.upkeep.sweep(100, async (keys) => void removed.push(...keys));
      const next = await put({ mode: 'replace', id: file.id }, 99);
      assert.equal(next.id, file.id);
      assert.equal(next.name, file.name);
      assert.deepEqual(next.createdAt, file.createdAt);
      assert.notEqual(next.key, file.key);
      await sweep();
      assert.ok(!removed.includes(file.key), 'readers holding the old key get it a while longer');
      await sleep(keepReplacedMs + 50);
      await sweep();
      assert.ok(removed.includes(file.key));
      assert.ok(!removed.includes(next.key));
      const upserted = await put({ mode: 'upsert', name: 'replace/doc.txt' });
      assert.equal(upserted.id, file.id);
      await refused(
        put({ mode: 'replace', id: '00000000-0000-4000-8000-000000000000' }),
        'NOT_FOUND',
      );
    });

    it('when a write is abandoned or never commits, then its key is garbage, and a key a file uses never is', async () => {
      const removed: string[] = [];
      const sweep = () => catalogue.upkeep.sweep(100, async (keys) => void removed.push(...keys));
      const abandoned = newKey();
      await catalogue.intend([abandoned]);
      await catalogue.abandon([abandoned]);
      const stale = newKey();
      await catalogue.intend([stale]);
      const fresh = newKey();
      await sleep(20);
      await catalogue.intend([fresh]);
      assert.equal(await catalogue.upkeep.expireWrites(new Date(Date.now() - 10)), 1);
      await sweep();
      assert.ok(removed.includes(abandoned) && removed.includes(stale));
      assert.ok(!removed.includes(fresh));
      const kept = await create('garbage/kept.txt');
      assert.ok(!removed.includes(kept.key));
    });

    it('when a file is renamed, then it keeps its id and moves between folders, and overwrite sends the other to the trash', async () => {
      const file = await create('rename/a.txt');
      const renamed = await catalogue.rename(file.id, 'rename/sub/b.txt', false);
      assert.equal(renamed.id, file.id);
      assert.equal(renamed.key, file.key);
      assert.deepEqual(await catalogue.folders(owner, 'rename/'), ['rename/sub/']);
      const other = await create('rename/c.txt');
      await refused(catalogue.rename(other.id, 'rename/sub/b.txt', false), 'CONFLICT');
      await catalogue.rename(other.id, 'rename/sub/b.txt', true);
      assert.deepEqual(await names({ prefix: 'rename/' }), ['rename/sub/b.txt']);
      assert.equal((await catalogue.find(owner, 'rename/sub/b.txt'))?.id, other.id);
      const trashed = (await catalogue.trash(owner, { limit: 10, after: undefined })).files;
      assert.ok(trashed.some((f) => f.id === file.id && f.name === 'rename/sub/b.txt'));
      assert.deepEqual(await catalogue.folders(owner, 'rename/'), ['rename/sub/']);
    });

    it('when a folder is moved, then every file in it moves at once, keeping ids, counts and search', async () => {
      const inside = ['move/src/a.txt', 'move/src/deep/b.txt', 'move/src/deep/deeper/Ç.txt'];
      const files = await Promise.all(inside.map((name) => create(name)));
      await create('move/srcx.txt');
      assert.equal(await catalogue.moveFolder(owner, 'move/src/', 'moved/to/here/'), 3);
      assert.deepEqual(await names({ prefix: 'moved/' }), [
        'moved/to/here/a.txt',
        'moved/to/here/deep/b.txt',
        'moved/to/here/deep/deeper/Ç.txt',
      ]);
      for (const file of files) assert.equal((await catalogue.get(file.id))?.key, file.key);
      assert.deepEqual(await names({ prefix: 'move/' }), ['move/srcx.txt']);
      assert.deepEqual(await catalogue.folders(owner, 'move/'), []);
      assert.deepEqual(await catalogue.folders(owner, 'moved/to/here/'), ['moved/to/here/deep/']);
      assert.equal((await catalogue.list(owner, query({ prefix: 'moved/' }))).totalCount, 3);
      assert.equal(
        (await catalogue.list(owner, query({ prefix: 'moved/to/here/', recursive: false })))
          .totalCount,
        1,
      );
      const search = await catalogue.list(
        owner,
        query({ search: searchFold('here/deep/deeper/c') }),
      );
      assert.deepEqual(
        search.files.map((f) => f.name),
        ['moved/to/here/deep/deeper/Ç.txt'],
      );
      await refused(catalogue.moveFolder(owner, 'moved/', 'moved/inner/'), 'BAD_USER_INPUT');
      await refused(catalogue.moveFolder(owner, 'nothing/', 'else/'), 'NOT_FOUND');
      await create('taken/x.txt');
      await refused(catalogue.moveFolder(owner, 'moved/', 'taken/'), 'CONFLICT');
      await refused(catalogue.moveFolder(owner, 'moved/', 'move/srcx.txt/'), 'CONFLICT');
    });

    it('when listing, then counts are exact for folders and searches, and cursors give every file once in each order', async () => {
      for (let i = 0; i < 30; i += 1)
        await create(`list/${i % 3 === 0 ? 'sub/' : ''}f${String(i).padStart(2, '0')}.txt`, i % 4);
      const everything = await catalogue.list(owner, query({ prefix: 'list/' }));
      assert.equal(everything.totalCount, 30);
      assert.equal(
        (await catalogue.list(owner, query({ prefix: 'list/', recursive: false }))).totalCount,
        20,
      );
      const search = await catalogue.list(
        owner,
        query({ prefix: 'list/', search: 'f1', limit: 2 }),
      );
      assert.equal(search.totalCount, 10);
      assert.equal(search.files.length, 2);
      const expected = everything.files.map((f) => f.name).sort();
      for (const field of ['name', 'size', 'updatedAt'] as const) {
        for (const descending of [false, true]) {
          const paged = await all({ prefix: 'list/', order: { field, descending } }, 7);
          assert.deepEqual(
            paged.map((f) => f.name).sort(),
            expected,
            `${field} ${descending ? 'desc' : 'asc'}: each file once`,
          );
          for (let i = 1; i < paged.length; i += 1) {
            const [a, b] = [paged[i - 1] as FileRecord, paged[i] as FileRecord];
            const value = (f: FileRecord) =>
              field === 'size' ? f.size : field === 'updatedAt' ? f.updatedAt.getTime() : 0;
            const order = value(a) - value(b) || (a.name < b.name ? -1 : 1);
            assert.ok(descending ? order > 0 : order < 0, `${field} order`);
          }
        }
      }
    });

    it('when searching, then case and accents are ignored and LIKE wildcards are plain text', async () => {
      for (const name of [
        'Résumé.PDF',
        'resume.txt',
        'RESUMES/x',
        '100%_done.txt',
        '100x done.txt',
      ])
        await create(`search/${name}`);
      assert.deepEqual(await names({ prefix: 'search/', search: searchFold('RÉSUMÉ') }), [
        'search/RESUMES/x',
        'search/Résumé.PDF',
        'search/resume.txt',
      ]);
      assert.deepEqual(await names({ prefix: 'search/', search: '%_' }), ['search/100%_done.txt']);
    });

    it('when files go to the trash, then they free their names, list newest first, and come back all or none', async () => {
      const a = await create('trash/a.txt');
      await sleep(5);
      const b = await create('trash/b.txt');
      const trashed = await catalogue.trashFiles([a.id, b.id, a.id, 'nope'], owner);
      assert.deepEqual(trashed.sort(), [a.id, b.id].sort());
      assert.deepEqual(await catalogue.trashFiles([a.id], owner), []);
      assert.deepEqual(await names({ prefix: 'trash/' }), []);
      assert.equal(await catalogue.get(a.id), undefined);
      const page = await catalogue.trash(owner, { limit: 1, after: undefined });
      assert.equal(page.hasMore, true);
      const again = await create('trash/a.txt');
      await refused(catalogue.restore([a.id, b.id], owner), 'CONFLICT');
      assert.deepEqual(await names({ prefix: 'trash/' }), ['trash/a.txt']);
      await catalogue.trashFiles([again.id], owner);
      const restored = await catalogue.restore([a.id, b.id], owner);
      assert.deepEqual(
        restored.map((f) => [f.id, f.deletedAt]).sort(),
        [
          [a.id, undefined],
          [b.id, undefined],
        ].sort(),
      );
      assert.deepEqual(await names({ prefix: 'trash/' }), ['trash/a.txt', 'trash/b.txt']);
    });

    it('when the trash is emptied or purged, then its files are gone for good and their bytes are garbage now', async () => {
      const removed: string[] = [];
      const old = await create('purge/old.txt');
      await catalogue.trashFiles([old.id], owner);
      // A moment between the two deletions, however slow the machine.
      await sleep(20);
      const between = new Date();
      await sleep(20);
      const recent = await create('purge/recent.txt');
      await catalogue.trashFiles([recent.id], owner);
      assert.ok((await catalogue.upkeep.purgeTrash(between)) >= 1);
      await catalogue.upkeep.sweep(100, async (keys) => void removed.push(...keys));
      assert.ok(removed.includes(old.key) && !removed.includes(recent.key));
      assert.ok((await catalogue.emptyTrash(owner)) >= 1);
      assert.equal((await catalogue.trash(owner, { limit: 10, after: undefined })).totalCount, 0);
      await catalogue.upkeep.sweep(100, async (keys) => void removed.push(...keys));
      assert.ok(removed.includes(recent.key));
    });

    it('when the files of a failed upload are discarded, then they are gone without passing through the trash', async () => {
      const file = await create('discard/x.txt');
      await catalogue.discard([file.id]);
      assert.equal(await catalogue.get(file.id), undefined);
      assert.ok(
        !(await catalogue.trash(owner, { limit: 1000, after: undefined })).files.some(
          (f) => f.id === file.id,
        ),
      );
      assert.deepEqual(await catalogue.folders(owner, 'discard/'), []);
    });

    it('when a folder is deleted while files are uploaded into it, then each file is listed or in the trash, and the counts are true', async () => {
      const first = await Promise.all(
        Array.from({ length: 20 }, (_, i) => create(`busy/early-${i}.txt`)),
      );
      const late = Array.from({ length: 40 }, (_, i) => create(`busy/late-${i}.txt`));
      const trashed = catalogue.trashFiles(
        first.map((f) => f.id),
        undefined,
      );
      const settled = await Promise.all(late);
      await trashed;
      const live = await catalogue.list(owner, query({ prefix: 'busy/' }));
      assert.equal(live.totalCount, live.files.length, 'the folder count is the files listed');
      assert.deepEqual(live.files.map((f) => f.id).sort(), settled.map((f) => f.id).sort());
      const inTrash = (await catalogue.trash(owner, { limit: 1000, after: undefined })).files.map(
        (f) => f.id,
      );
      for (const file of first) assert.ok(inTrash.includes(file.id));
      await catalogue.trashFiles(
        settled.map((f) => f.id),
        owner,
      );
      assert.equal((await catalogue.list(owner, query({ prefix: 'busy/' }))).totalCount, 0);
      assert.ok(!(await catalogue.folders(owner, '')).includes('busy/'));
    });

    it('when many writers race on one name, on a file and its folder, or rename in one folder at once, then the rules hold', async () => {
      const racers = await Promise.allSettled(
        Array.from({ length: 20 }, () => create('race/one.txt')),
      );
      assert.equal(racers.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of racers)
        if (r.status === 'rejected') assert.equal(codeOf(r.reason), 'CONFLICT');
      const shapes = await Promise.allSettled([create('race/both'), create('race/both/inside')]);
      assert.equal(shapes.filter((r) => r.status === 'fulfilled').length, 1);
      // Writers side by side in one folder go at once; one making a file of the folder's name
      // (or of a folder in it) takes turns with them: the folder holds files or is a file, never both.
      const crowd = await Promise.allSettled([
        create('race/crowd'),
        ...Array.from({ length: 30 }, (_, i) => create(`race/crowd/f${i}.txt`)),
        create('race/crowd/f7.txt/inside.txt'),
        create('race/crowd/sub/deeper.txt'),
      ]);
      for (const r of crowd)
        if (r.status === 'rejected') assert.equal(codeOf(r.reason), 'CONFLICT');
      const stored = crowd.flatMap((r) => (r.status === 'fulfilled' ? [r.value.name] : []));
      const inCrowd = await all({ prefix: 'race/crowd/' }, 1000);
      const crowdFile = await catalogue.find(owner, 'race/crowd');
      assert.deepEqual(
        inCrowd.map((f) => f.name),
        stored.filter((name) => name !== 'race/crowd').sort(),
      );
      assert.ok((crowdFile === undefined) !== (inCrowd.length === 0), 'a file or a folder');
      assert.equal(
        (await catalogue.list(owner, query({ prefix: 'race/crowd/' }))).totalCount,
        inCrowd.length,
      );
      const files = await Promise.all(
        Array.from({ length: 50 }, (_, i) => create(`race/renames/f${i}.txt`)),
      );
      // 1,000 renames, 20 rounds over 50 files, every round's at once.
      for (let round = 0; round < 20; round += 1) {
        const results = await Promise.allSettled(
          files.map((file, i) =>
            catalogue.rename(file.id, `race/renames/r${round}-${(i * 7 + round) % 50}.txt`, false),
          ),
        );
        for (const r of results)
          if (r.status === 'rejected') assert.equal(codeOf(r.reason), 'CONFLICT');
      }
      const listed = await catalogue.list(owner, query({ prefix: 'race/renames/' }));
      assert.equal(listed.totalCount, 50);
      assert.equal(new Set(listed.files.map((f) => f.name)).size, 50);
      assert.deepEqual(new Set(listed.files.map((f) => f.id)), new Set(files.map((f) => f.id)));
    });

    it('when two owners store the same name, then each has their own file, folders, counts and trash', async () => {
      const mine = await create('owners/notes.txt');
      const theirs = await put({ mode: 'create', name: 'owners/notes.txt' }, 5, otherOwner);
      assert.notEqual(mine.id, theirs.id);
      assert.equal(theirs.owner, otherOwner);
      assert.equal((await catalogue.find(owner, 'owners/notes.txt'))?.id, mine.id);
      assert.equal((await catalogue.find(otherOwner, 'owners/notes.txt'))?.id, theirs.id);
      const listed = await catalogue.list(otherOwner, query());
      assert.deepEqual(
        listed.files.map((f) => f.id),
        [theirs.id],
      );
      assert.equal(listed.totalCount, 1);
      assert.deepEqual(await catalogue.folders(otherOwner, ''), ['owners/']);
      // By id, a scope keeps another owner's files out.
      assert.deepEqual(await catalogue.trashFiles([theirs.id], owner), []);
      assert.deepEqual(await catalogue.trashFiles([theirs.id], otherOwner), [theirs.id]);
      assert.equal(
        (await catalogue.trash(owner, { limit: 1000, after: undefined })).files.some(
          (f) => f.id === theirs.id,
        ),
        false,
      );
      assert.deepEqual(await catalogue.restore([theirs.id], owner), []);
      assert.equal((await catalogue.restore([theirs.id], undefined))[0]?.id, theirs.id);
      // A replace names the owner: someone else's file is not found.
      await refused(put({ mode: 'replace', id: theirs.id }), 'NOT_FOUND');
      await catalogue.moveFolder(otherOwner, 'owners/', 'elsewhere/');
      assert.equal((await catalogue.find(owner, 'owners/notes.txt'))?.id, mine.id);
      assert.equal((await catalogue.get(theirs.id))?.name, 'elsewhere/notes.txt');
    });

    it("when legacy files are claimed, then they are the admin's with their folders, clashing ones kept in a folder of their own, and a second claim finds none", async () => {
      const adopted = async (name: string) => {
        const [record] = await catalogue.adopt([legacyFile(name)]);
        assert.ok(record && !(record instanceof Error), `${name} adopted`);
        return record;
      };
      const plain = await adopted('legacy/plain.txt');
      const same = await adopted('legacy/same.txt');
      const asFolder = await adopted('legacy/dir');
      const inFile = await adopted('legacy/file/inside.txt');
      assert.equal(plain.owner, legacyOwner);
      await put({ mode: 'create', name: 'legacy/same.txt' }, 1, admin);
      await put({ mode: 'create', name: 'legacy/dir/x.txt' }, 1, admin);
      await put({ mode: 'create', name: 'legacy/file' }, 1, admin);
      assert.equal(await catalogue.claimLegacy(admin), 4);
      assert.equal(await catalogue.claimLegacy(admin), 0);
      assert.equal((await catalogue.get(plain.id))?.name, 'legacy/plain.txt');
      for (const clash of [same, asFolder, inFile]) {
        const now = await catalogue.get(clash.id);
        assert.equal(now?.owner, admin);
        assert.match(
          now?.name ?? '',
          new RegExp(`^stored-before-accounts-[0-9a-f]+/${clash.name}$`),
        );
      }
      const all = await catalogue.list(admin, query());
      assert.equal(all.totalCount, 7);
      assert.equal(all.files.length, 7);
      assert.equal((await catalogue.list(legacyOwner, query())).totalCount, 0);
    });

    it('when files are adopted together, then the ones whose name is taken or breaks the folder rule are refused alone, and the others are counted in their folders', async () => {
      const results = await catalogue.adopt([
        legacyFile('together/a.txt'),
        legacyFile('together/a.txt'),
        legacyFile('together/a.txt/b.txt'),
        legacyFile('together/sub/c.txt'),
        legacyFile('together/sub'),
      ]);
      assert.deepEqual(
        results.map((result) => (result instanceof Error ? codeOf(result) : result.name)),
        ['together/a.txt', 'CONFLICT', 'CONFLICT', 'together/sub/c.txt', 'CONFLICT'],
      );
      const listed = await catalogue.list(legacyOwner, query({ prefix: 'together/' }));
      assert.deepEqual(
        listed.files.map((file) => file.name),
        ['together/a.txt', 'together/sub/c.txt'],
      );
      assert.equal(listed.totalCount, 2);
      assert.deepEqual(await catalogue.adopt([]), []);
    });

    it('when a share link is made, then its token hash opens the live file until it expires, is revoked or the file is trashed', async () => {
      const file = await create('shares/one.txt');
      const link = await catalogue.shares.create({
        fileId: file.id,
        createdBy: owner,
        tokenHash: 'hash-one',
        passwordHash: undefined,
        expiresAt: new Date(Date.now() + 60_000),
      });
      assert.equal((await catalogue.shares.open('hash-one', new Date()))?.file.id, file.id);
      assert.equal(
        await catalogue.shares.open('hash-one', new Date(Date.now() + 120_000)),
        undefined,
      );
      assert.equal(await catalogue.shares.open('hash-other', new Date()), undefined);
      assert.deepEqual(
        (await catalogue.shares.list({ createdBy: owner })).map((s) => s.id),
        [link.id],
      );
      assert.deepEqual(
        (await catalogue.shares.list({ fileId: file.id })).map((s) => s.id),
        [link.id],
      );
      assert.equal(await catalogue.shares.revoke(link.id), true);
      assert.equal(await catalogue.shares.revoke(link.id), false);
      assert.equal(await catalogue.shares.open('hash-one', new Date()), undefined);
      await catalogue.shares.create({
        fileId: file.id,
        createdBy: owner,
        tokenHash: 'hash-two',
        passwordHash: 'x',
        expiresAt: new Date(Date.now() + 60_000),
      });
      await catalogue.trashFiles([file.id], owner);
      assert.equal(await catalogue.shares.open('hash-two', new Date()), undefined);
      await catalogue.restore([file.id], owner);
      assert.equal(
        await catalogue.shares.open('hash-two', new Date()),
        undefined,
        'links die with the trash',
      );
      await catalogue.trashFiles([file.id], owner);
      await refused(
        catalogue.shares.create({
          fileId: file.id,
          createdBy: owner,
          tokenHash: 'hash-three',
          passwordHash: undefined,
          expiresAt: new Date(Date.now() + 60_000),
        }),
        'NOT_FOUND',
      );
    });
  });
}
