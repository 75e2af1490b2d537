/**
 * The local store's files are checked before LevelDB opens them: with the seal of a clean close, and — after a
 * crash, when the seal is marked open — from the files' own structure (CURRENT → manifest → table files and log).
 */
import { cpSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, inspectLevelDb, readLogRecords } from '../../../functions/adapters/store/leveldb-files.ts';
import { storeFileFailure } from '../../../functions/adapters/store/level-io-errors.ts';
import {
  LOCAL_DYNAMO_SUBDIR,
  ensureTable,
  startLocalDynamo,
} from '../../../functions/adapters/store/local-dynamodb.ts';
import {
  STORE_SEAL_FILE,
  checkLocalStore,
  describeStoreFsError,
  markStoreOpen,
} from '../../../functions/adapters/store/local-store-check.ts';
import { LocalDynamoStartError } from '../../../functions/adapters/store/store-errors.ts';
import { checkOutbox } from '../../../functions/local/outbox-check.ts';
import { backupFolderName, resetLocalStore } from '../../../functions/local/store-reset.ts';
import { StateDirError } from '../../../functions/local/state-dir.ts';

const TABLE = 'fleet-auditor';
let root: string;
/** A sealed store: a table file, and a log holding later writes, one of them longer than a 32 KiB log block. */
let sealed: string;
let copies = 0;

async function put(dir: string, items: number, size = 100): Promise<void> {
  const local = await startLocalDynamo({ dir });
  try {
    await ensureTable(local.client, TABLE);
    for (let i = 0; i < items; i += 1) {
      await local.client.send(
        new PutCommand({ TableName: TABLE, Item: { pk: `ITEM#${i}`, sk: 'X', body: 'x'.repeat(size) } }),
      );
    }
  } finally {
    await local.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-check-'));
  sealed = join(root, 'sealed');
  await put(sealed, 20);
  await put(sealed, 0); // the reopen writes the log into a table file
  await put(sealed, 3, 40_000);
}, 30_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the sealed store whose seal is marked open, as a crash leaves it: only the structure is checked. */
async function crashed(): Promise<{ dir: string; db: string; file: (pattern: RegExp) => string }> {
  copies += 1;
  const dir = join(root, `copy-${copies}`);
  cpSync(sealed, dir, { recursive: true });
  await markStoreOpen(dir, new Date());
  const db = join(dir, LOCAL_DYNAMO_SUBDIR);
  const file = (pattern: RegExp): string => {
    const name = readdirSync(db).find((f) => pattern.test(f));
    if (name === undefined) throw new Error(`no ${pattern}`);
    return join(db, name);
  };
  return { dir, db, file };
}

const half = async (path: string): Promise<void> => truncate(path, Math.floor(statSync(path).size / 2));

describe('checkLocalStore', () => {
  it('calls a folder with no seal and no store file new, and a sealed store existing', async () => {
    await expect(checkLocalStore(join(root, 'nothing'), join(root, 'nothing', 'dynamodb'))).resolves.toBe('new');
    await expect(checkLocalStore(sealed, join(sealed, LOCAL_DYNAMO_SUBDIR))).resolves.toBe('existing');
  });

  it('names a file whose size changed since the clean close', async () => {
    const dir = join(root, 'sealed-cut');
    cpSync(sealed, dir, { recursive: true });
    const db = join(dir, LOCAL_DYNAMO_SUBDIR);
    const log = readdirSync(db).find((f) => f.endsWith('.log')) ?? '';
    const size = statSync(join(db, log)).size;
    await truncate(join(db, log), size - 1);

    await expect(checkLocalStore(dir, db)).rejects.toThrow(
      `${join(db, log)} is truncated (${size - 1} bytes, ${size} when the store was last closed)`,
    );
  });

  it('refuses a store whose folder is gone while its seal remains', async () => {
    const { dir, db } = await crashed();
    await rm(db, { recursive: true });

    await expect(checkLocalStore(dir, db)).rejects.toThrow(/holds no store files, but a store was created there on/);
  });

  it('accepts a store after a crash, and a seal that is not whole, when the files are sound', async () => {
    const { dir, db } = await crashed();
    await expect(checkLocalStore(dir, db)).resolves.toBe('existing');
    await writeFile(join(dir, STORE_SEAL_FILE), '{"open": fal');
    await expect(checkLocalStore(dir, db)).resolves.toBe('existing');
  });

  it.each([
    ['CURRENT removed', /^CURRENT$/, unlink, /CURRENT is missing \(it names the live manifest\)/],
    ['CURRENT cut', /^CURRENT$/, half, /CURRENT is truncated \(8 bytes, not a manifest name and a newline\)/],
    ['the manifest removed', /^MANIFEST-/, unlink, /MANIFEST-\d+ is missing \(named by CURRENT\)/],
    ['the manifest cut', /^MANIFEST-/, half, /MANIFEST-\d+ is truncated \(at byte \d+ of \d+\)/],
    ['the log removed', /\.log$/, unlink, /\d+\.log is missing \(the write-ahead log named by MANIFEST-\d+\)/],
    ['a table file removed', /\.ldb$/, unlink, /\d+\.ldb is missing \(listed in MANIFEST-\d+\)/],
    ['a table file cut', /\.ldb$/, half, /\d+\.ldb is truncated \(\d+ of \d+ bytes\)/],
  ] as const)('after a crash, refuses %s, naming the file', async (_, pattern, harm, message) => {
    const { dir, db, file } = await crashed();
    await harm(file(pattern));

    const refused = checkLocalStore(dir, db);

    await expect(refused).rejects.toBeInstanceOf(LocalDynamoStartError);
    await expect(refused).rejects.toMatchObject({
      code: 'LOCAL_STORE_DAMAGED',
      message: expect.stringMatching(message),
    });
    await expect(refused).rejects.toThrow(/Restore .* from a backup, or run again with --reset-state/);
  });

  it('after a crash, accepts a log cut inside its last record (what a kill mid-write leaves) but not a bad record', async () => {
    const cut = await crashed();
    const log = cut.file(/\.log$/);
    await truncate(log, statSync(log).size - 10);
    await expect(checkLocalStore(cut.dir, cut.db)).resolves.toBe('existing');

    const flipped = await crashed();
    const path = flipped.file(/\.log$/);
    const bytes = await readFile(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    await expect(checkLocalStore(flipped.dir, flipped.db)).rejects.toThrow(
      /\.log is corrupt \(bad record at byte 0 of/,
    );
  });

  it('after a crash, accepts a manifest cut inside a record it was appending, as LevelDB does', async () => {
    const { dir, db, file } = await crashed();
    const manifest = file(/^MANIFEST-/);
    const bytes = await readFile(manifest);
    await writeFile(manifest, Buffer.concat([bytes, bytes.subarray(0, 10)])); // a record header and 3 bytes: the tail of an append cut by a crash

    await expect(checkLocalStore(dir, db)).resolves.toBe('existing');
  });

  it('makes startLocalDynamo refuse a damaged store before LevelDB opens it', async () => {
    const { dir, file } = await crashed();
    await unlink(file(/^CURRENT$/));

    await expect(startLocalDynamo({ dir })).rejects.toMatchObject({ code: 'LOCAL_STORE_DAMAGED' });
    expect(readdirSync(join(dir, LOCAL_DYNAMO_SUBDIR))).not.toContain('CURRENT');
  });
});

describe('the LevelDB file readers', () => {
  it('computes CRC-32C (the check value of "123456789")', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('reads a log whose records span 32 KiB blocks', async () => {
    const layout = await inspectLevelDb(join(sealed, LOCAL_DYNAMO_SUBDIR));
    expect(layout).toMatchObject({ manifest: expect.stringMatching(/^MANIFEST-/) });
    if ('problem' in layout) throw new Error('unexpected');
    const log = await readFile(join(sealed, LOCAL_DYNAMO_SUBDIR, layout.log));
    expect(log.length).toBeGreaterThan(65_536);
    const { records, damage } = readLogRecords(log);
    expect(damage).toBeNull();
    expect(records.some((r) => r.length > 32_768)).toBe(true);
  });

  it('calls a record of an unknown type, or a continuation without its start, corrupt', () => {
    const record = (type: number): Buffer => {
      const payload = Buffer.from('abc');
      const header = Buffer.alloc(7);
      const typed = Buffer.concat([Buffer.from([type]), payload]);
      const crc = crc32c(typed);
      header.writeUInt32LE(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0, 0);
      header.writeUInt16LE(payload.length, 4);
      header[6] = type;
      return Buffer.concat([header, payload]);
    };
    expect(readLogRecords(record(1))).toEqual({ records: [Buffer.from('abc')], damage: null });
    expect(readLogRecords(record(3)).damage).toEqual({ kind: 'corrupt', offset: 0 });
    expect(readLogRecords(record(9)).damage).toEqual({ kind: 'corrupt', offset: 0 });
    expect(readLogRecords(record(2)).damage).toEqual({ kind: 'truncated', offset: 10 });
  });
});

describe('describeStoreFsError', () => {
  const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed`), { code });

  it('names a read-only file system, a denied write and a full disk; leaves other errors alone', () => {
    expect(describeStoreFsError(err('EROFS'), '/s')?.message).toBe(
      'cannot write the local store /s: the file system is read-only (EROFS)',
    );
    expect(describeStoreFsError(err('EACCES'), '/s')?.code).toBe('LOCAL_STORE_READ_ONLY');
    expect(describeStoreFsError(new Error('IO error: /s/000005.log: No space left on device'), '/s')?.message).toBe(
      'cannot write the local store /s: no space left on the device (the disk is full) (ENOSPC)',
    );
    expect(describeStoreFsError(err('EMFILE'), '/s')).toBeNull();
  });
});

describe('a store write that fails on the file system', () => {
  afterEach(() => {
    delete process.env['FLEET_AUDITOR_STORE_FULL_AFTER'];
  });

  it('is answered as a DynamoDB server error, not thrown inside dynalite, and its cause is kept', async () => {
    const dir = join(root, 'full');
    const local = await startLocalDynamo({ dir });
    try {
      await ensureTable(local.client, TABLE);
      process.env['FLEET_AUDITOR_STORE_FULL_AFTER'] = '0';

      await expect(
        local.client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'A', sk: 'B' } })),
      ).rejects.toMatchObject({
        name: 'InternalServerError',
        message: expect.stringMatching(/No space left on device/),
      });
      expect(storeFileFailure()).toMatch(/^no space left on the device \(the disk is full\): IO error: /);
    } finally {
      delete process.env['FLEET_AUDITOR_STORE_FULL_AFTER'];
      await local.close();
    }
  }, 20_000);
});

describe('resetLocalStore', () => {
  it('moves the store and its seal into a backup folder, never deleting; a second reset gets its own folder', async () => {
    const dir = join(root, 'reset');
    cpSync(sealed, dir, { recursive: true });
    const files = readdirSync(join(dir, LOCAL_DYNAMO_SUBDIR)).sort();
    const at = new Date('2026-11-22T12:00:00.000Z');

    const first = await resetLocalStore(dir, at);
    await put(dir, 1);
    const second = await resetLocalStore(dir, at);

    expect(backupFolderName(at)).toBe('backup-20261122T120000Z');
    expect(first).toBe(join(dir, 'backup-20261122T120000Z'));
    expect(second).toBe(join(dir, 'backup-20261122T120000Z-2'));
    expect(readdirSync(join(first ?? '', LOCAL_DYNAMO_SUBDIR)).sort()).toEqual(files);
    expect(readdirSync(first ?? '')).toContain(STORE_SEAL_FILE);
    expect(readdirSync(dir).sort()).toEqual(['backup-20261122T120000Z', 'backup-20261122T120000Z-2']);
  });

  it('returns null and leaves no folder when there is no store', async () => {
    const dir = await mkdtemp(join(root, 'no-store-'));
    await expect(resetLocalStore(dir, new Date())).resolves.toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('checkOutbox', () => {
  const line = (id: string): string => `${JSON.stringify({ subject: id, attributes: {}, event: { messageId: id } })}\n`;

  it('counts whole messages; an absent outbox is empty', async () => {
    const path = join(root, 'outbox-whole.jsonl');
    await writeFile(path, line('a') + line('b'));
    await expect(checkOutbox(path)).resolves.toEqual({ messages: 2, tornBytes: 0 });
    await expect(checkOutbox(join(root, 'absent.jsonl'))).resolves.toEqual({ messages: 0, tornBytes: 0 });
  });

  it('cuts off a last line torn by a crash, and ends a whole last message that lacks its newline', async () => {
    const torn = join(root, 'outbox-torn.jsonl');
    await writeFile(torn, `${line('a')}{"subject":"b","attr`);
    await expect(checkOutbox(torn)).resolves.toEqual({ messages: 1, tornBytes: 20 });
    expect(await readFile(torn, 'utf8')).toBe(line('a'));

    const unended = join(root, 'outbox-unended.jsonl');
    await writeFile(unended, line('a') + line('b').trimEnd());
    await expect(checkOutbox(unended)).resolves.toEqual({ messages: 2, tornBytes: 0 });
    expect(await readFile(unended, 'utf8')).toBe(line('a') + line('b'));
  });

  it('refuses a broken line before the last, naming the file and the line', async () => {
    const path = join(root, 'outbox-broken.jsonl');
    await writeFile(path, `${line('a')}[1, 2]\n${line('c')}`);

    const refused = checkOutbox(path);

    await expect(refused).rejects.toBeInstanceOf(StateDirError);
    await expect(refused).rejects.toThrow(`${path} is damaged: line 2 is not a whole message`);
  });
});
