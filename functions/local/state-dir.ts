/**
 * The local state directory of `fleet-auditor nightly --state DIR`: one lock taken before anything in DIR is read,
 * and every state file written atomically, so a run that is killed, or overlaps another, never leaves a torn file
 * nor lets two runs interleave.
 *
 * - Lock: `DIR/nightly.lock` holds `{ pid, host, startedAt }`. It is created whole (written to a temp file, then
 *   hard-linked into place, which fails if it exists). A lock of a process that no longer runs on this host is
 *   taken over; a live one (or one of another host) is refused with one line.
 * - Writes: temp file in DIR → fsync → rename over the target → fsync DIR. A reader sees the old file or the new
 *   one, never part of one.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crashPoint } from '../shared/crash-point.ts';

/** The lock file's name inside DIR. */
const STATE_LOCK_FILE = 'nightly.lock';

/** A state-directory failure, with its cause named in one line (exit 1). */
export class StateDirError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateDirError';
    this.code = code;
  }
}

/** Who holds the lock. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** A held lock: `release` removes it if it is still ours. */
interface StateLock {
  readonly path: string;
  release(): Promise<void>;
}

/** One line naming what went wrong with a file-system call on `path`, by its errno code. */
export function describeFsError(error: unknown, path: string, doing: string): StateDirError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const why: Record<string, string> = {
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied (is the directory read-only?)',
    EPERM: 'operation not permitted (is the directory read-only?)',
    ENOSPC: 'no space left on the device (the disk is full)',
    EDQUOT: 'the disk quota is exhausted',
    ENOENT: 'it does not exist',
  };
  return new StateDirError(code, `cannot ${doing} ${path}: ${why[code] ?? (error as Error).message} (${code})`, {
    cause: error,
  });
}

/**
 * Writes `data` to `path` atomically: a temp file next to it, fsync'd, renamed over `path`, then the directory
 * fsync'd. A crash leaves the old file or the new one (and at worst a stray temp file), never a torn one.
 *
 * @throws StateDirError naming the cause (read-only, disk full …); the old file is left as it was.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeDurable(tmp, data);
    crashPoint('state-write');
    await rename(tmp, path);
    await syncDir(dirname(path));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw describeFsError(error, path, 'write');
  }
}

async function writeDurable(path: string, data: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt ?? '') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    return null;
  }
}

/**
 * Takes the lock of `dir` for this process, before anything in it is read. Takes over a lock whose holder no
 * longer runs on this host.
 *
 * @throws StateDirError `STATE_LOCKED` (one line: who holds it) when a live process holds it, or naming the cause
 *   when the lock cannot be written (read-only directory, full disk).
 */
export async function acquireStateLock(dir: string, now: Date = new Date()): Promise<StateLock> {
  const path = join(dir, STATE_LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now.toISOString() };
  const tmp = join(dir, `.${STATE_LOCK_FILE}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeDurable(tmp, `${JSON.stringify(me)}\n`);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw describeFsError(error, dir, 'take the lock of');
  }
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(tmp, path);
        return { path, release: () => releaseIfOurs(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFsError(error, path, 'create the lock');
      }
      let holder: LockHolder | null;
      try {
        holder = await readHolder(path);
      } catch {
        continue; // released meanwhile: try again
      }
      const mine = holder !== null && holder.host === me.host;
      if (holder === null || (mine && !isAlive(holder.pid))) {
        // A lock left by a process that died (or a lock file that is not whole): take it over.
        await unlink(path).catch(() => undefined);
        continue;
      }
      throw new StateDirError(
        'STATE_LOCKED',
        `${dir} is in use by another fleet-auditor (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`,
      );
    }
    throw new StateDirError(
      'STATE_LOCKED',
      `${dir}: the lock ${path} kept changing; is another fleet-auditor using it?`,
    );
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function releaseIfOurs(path: string): Promise<void> {
  try {
    const holder = await readHolder(path);
    if (holder !== null && holder.pid === process.pid && holder.host === hostname()) await unlink(path);
  } catch {
    // already gone
  }
}
