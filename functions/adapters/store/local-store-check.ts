/**
 * Keeps the embedded local DynamoDB's files honest: a store that has existed is checked before it is opened, and a
 * damaged one is refused with one line naming the file and the way out — never opened, because LevelDB would
 * silently start empty (missing `CURRENT`), drop writes (missing or cut log) or fail later inside dynalite.
 *
 * `DIR/store-seal.json` tells a new store from a damaged one: written when the store is first created, marked open
 * while it is in use, and, at each clean close, it lists every LevelDB data file with its size, so a file removed
 * or cut since is named exactly. After a crash (marked open) the structural checks of `inspectLevelDb` still apply.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspectLevelDb, listStoreFiles } from './leveldb-files.ts';
import type { StoreFileProblem } from './leveldb-files.ts';
import { LocalDynamoStartError } from './store-errors.ts';

/** The seal's name inside DIR (next to the LevelDB directory, so it survives that directory's loss). */
export const STORE_SEAL_FILE = 'store-seal.json';

/** What the seal holds. */
interface StoreSeal {
  readonly createdAt: string;
  /** True from open to clean close: a crash leaves it true, and then only the structural checks apply. */
  readonly open: boolean;
  /** At the last clean close: each LevelDB data file and its size in bytes. */
  readonly files: Readonly<Record<string, number>>;
}

/** The flag that moves a damaged store aside (see `fleet-auditor nightly --help`). */
const WAY_OUT = '--reset-state';

function damaged(dir: string, storeDir: string, what: string, cause?: unknown): LocalDynamoStartError {
  return new LocalDynamoStartError(
    `the local store is damaged: ${what}. Restore ${storeDir} from a backup, or run again with ${WAY_OUT} ` +
      `(it moves the damaged store to a backup folder in ${dir} and starts with an empty one)`,
    { code: 'LOCAL_STORE_DAMAGED', ...(cause === undefined ? {} : { cause }) },
  );
}

const describeProblem = (storeDir: string, p: StoreFileProblem): string =>
  `${join(storeDir, p.file)} is ${p.problem} (${p.detail})`;

/**
 * One line for a file-system failure of the store (read-only, full disk, permission) by its errno code, or null
 * when `error` is not one of those.
 */
export function describeStoreFsError(error: unknown, storeDir: string): LocalDynamoStartError | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const is = (errno: string, words: RegExp): boolean => code === errno || words.test(text);
  if (is('EROFS', /read-only file system/i)) {
    return new LocalDynamoStartError(`cannot write the local store ${storeDir}: the file system is read-only (EROFS)`, {
      code: 'LOCAL_STORE_READ_ONLY',
      cause: error,
    });
  }
  if (is('EACCES', /permission denied/i) || code === 'EPERM') {
    return new LocalDynamoStartError(
      `cannot write the local store ${storeDir}: permission denied (is the directory read-only?) (${code ?? 'EACCES'})`,
      { code: 'LOCAL_STORE_READ_ONLY', cause: error },
    );
  }
  if (is('ENOSPC', /no space left/i) || code === 'EDQUOT') {
    return new LocalDynamoStartError(
      `cannot write the local store ${storeDir}: no space left on the device (the disk is full) (${code ?? 'ENOSPC'})`,
      { code: 'LOCAL_STORE_DISK_FULL', cause: error },
    );
  }
  return null;
}

async function readSeal(path: string): Promise<StoreSeal | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoreSeal>;
    const files = typeof parsed.files === 'object' && parsed.files !== null ? parsed.files : {};
    return { createdAt: String(parsed.createdAt ?? 'an unknown date'), open: parsed.open !== false, files };
  } catch {
    // Not whole (it is written atomically, so someone edited it): the store has existed; check its structure only.
    return { createdAt: 'an unknown date', open: true, files: {} };
  }
}

async function writeSeal(path: string, seal: StoreSeal): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(seal)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** Each LevelDB data file of `storeDir` and its size. */
async function fileSizes(storeDir: string): Promise<Record<string, number>> {
  const names = await listStoreFiles(storeDir);
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(storeDir, name))).size));
  return Object.fromEntries(names.map((name, i) => [name, sizes[i] ?? 0]));
}

/** The first difference between the files at the last clean close and now, or null. */
async function sealProblem(storeDir: string, sealed: Readonly<Record<string, number>>): Promise<string | null> {
  const now = await fileSizes(storeDir);
  for (const [file, size] of Object.entries(sealed).sort(([a], [b]) => a.localeCompare(b))) {
    const found = now[file];
    if (found === undefined) {
      return `${join(storeDir, file)} is missing (it held ${size} bytes when the store was last closed)`;
    }
    if (found !== size) {
      const how = found < size ? 'truncated' : 'changed';
      return `${join(storeDir, file)} is ${how} (${found} bytes, ${size} when the store was last closed)`;
    }
  }
  return null;
}

/**
 * Checks the store in `storeDir` (the LevelDB directory inside `dir`) before it is opened.
 *
 * @returns `new` when no store has existed there (no seal, no store file), else `existing`.
 * @throws LocalDynamoStartError `LOCAL_STORE_DAMAGED` naming the first missing, cut or corrupt file and the way
 *   out, or `LOCAL_STORE_READ_ONLY` / `LOCAL_STORE_DISK_FULL` when a file cannot be read.
 */
export async function checkLocalStore(dir: string, storeDir: string): Promise<'new' | 'existing'> {
  try {
    const seal = await readSeal(join(dir, STORE_SEAL_FILE));
    const files = await listStoreFiles(storeDir);
    if (files.length === 0) {
      if (seal === null) return 'new';
      throw damaged(
        dir,
        storeDir,
        `${storeDir} holds no store files, but a store was created there on ${seal.createdAt}`,
      );
    }
    if (seal !== null && !seal.open) {
      const problem = await sealProblem(storeDir, seal.files);
      if (problem !== null) throw damaged(dir, storeDir, problem);
    }
    const layout = await inspectLevelDb(storeDir);
    if ('problem' in layout) throw damaged(dir, storeDir, describeProblem(storeDir, layout));
    return 'existing';
  } catch (error) {
    if (error instanceof LocalDynamoStartError) throw error;
    throw describeStoreFsError(error, storeDir) ?? damaged(dir, storeDir, (error as Error).message, error);
  }
}

/** Marks the store of `dir` open (creating the seal of a new store), before LevelDB opens it. */
export async function markStoreOpen(dir: string, createdAt: Date): Promise<void> {
  const path = join(dir, STORE_SEAL_FILE);
  const seal = await readSeal(path);
  await writeSeal(path, { createdAt: seal?.createdAt ?? createdAt.toISOString(), open: true, files: {} });
}

/**
 * Seals the store of `dir` after a clean close: every data file and its size. Best effort: a store left marked
 * open is still checked structurally at the next open.
 */
export async function sealStore(dir: string, storeDir: string): Promise<void> {
  const path = join(dir, STORE_SEAL_FILE);
  try {
    const seal = await readSeal(path);
    await writeSeal(path, {
      createdAt: seal?.createdAt ?? 'an unknown date',
      open: false,
      files: await fileSizes(storeDir),
    });
  } catch {
    // left marked open
  }
}
