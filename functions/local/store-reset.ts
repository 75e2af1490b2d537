/**
 * `nightly --reset-state`: the way out of a damaged local store that keeps everything. The store's LevelDB
 * directory and its seal are moved (renamed, never deleted) into a new `DIR/backup-<UTC time>/`, so the next open
 * starts with an empty store and the old files stay for inspection or a restore.
 */
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_SEAL_FILE } from '../adapters/store/local-store-check.ts';
import { LOCAL_DYNAMO_SUBDIR } from '../adapters/store/local-dynamodb.ts';
import { describeFsError } from './state-dir.ts';

/** `backup-20261122T120000Z` for 2026-11-22T12:00:00.000Z. */
export function backupFolderName(at: Date): string {
  return `backup-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

async function moveIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Moves the local store of `dir` into a new backup folder inside `dir` (a second one in the same second gets a
 * `-2`, `-3` … suffix). Call it holding DIR's lock.
 *
 * @returns the backup folder, or null when there was no store to move (the empty folder is then not left behind).
 * @throws StateDirError naming the cause when the folder cannot be created or the files cannot be moved.
 */
export async function resetLocalStore(dir: string, at: Date): Promise<string | null> {
  const base = join(dir, backupFolderName(at));
  let backup = base;
  try {
    for (let n = 2; ; n += 1) {
      try {
        await mkdir(backup);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        backup = `${base}-${n}`;
      }
    }
    const moved = await moveIfPresent(join(dir, LOCAL_DYNAMO_SUBDIR), join(backup, LOCAL_DYNAMO_SUBDIR));
    const sealMoved = await moveIfPresent(join(dir, STORE_SEAL_FILE), join(backup, STORE_SEAL_FILE));
    if (moved || sealMoved) return backup;
    await rmdir(backup); // the folder made above, still empty
    return null;
  } catch (error) {
    throw describeFsError(error, dir, 'move the local store aside in');
  }
}
