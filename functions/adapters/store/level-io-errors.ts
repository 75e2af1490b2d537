/**
 * dynalite answers a request whose LevelDB write fails for a reason it does not know (an I/O error: a full disk,
 * a file system turned read-only) by throwing from a callback — an uncaught exception that kills the process with
 * dynalite's stack. This module makes such a failure an ordinary DynamoDB error instead: the LevelDB write methods
 * dynalite binds are wrapped once so that their I/O and corruption errors carry the `statusCode` and `body`
 * dynalite sends back as an HTTP 500 `InternalServerError`, whose message keeps LevelDB's (e.g. "IO error: …/000005.log:
 * No space left on device"). The store adapter then raises a `StoreUnavailableError` naming the cause.
 *
 * Test hook: `FLEET_AUDITOR_STORE_FULL_AFTER=<n>` makes every store write after the first n fail as a full disk
 * does, where a test cannot mount a tiny file system to fill.
 */
type WriteMethod = (this: unknown, ...args: unknown[]) => unknown;
interface LevelPrototype {
  put: WriteMethod;
  del: WriteMethod;
  batch: WriteMethod;
  [WRAPPED]?: true;
}

const WRAPPED = Symbol.for('fleet-auditor.level-io-errors');

/** LevelDB's error codes that mean the files, not the request, are at fault. */
const FILE_ERRORS = new Set(['LEVEL_IO_ERROR', 'LEVEL_CORRUPTION']);

let writes = 0;
let lastFileError: Error | null = null;

function injectedDiskFull(): Error | null {
  const after = process.env['FLEET_AUDITOR_STORE_FULL_AFTER'];
  if (after === undefined || after === '') return null;
  writes += 1;
  if (writes <= Number(after)) return null;
  return Object.assign(new Error('IO error: injected by FLEET_AUDITOR_STORE_FULL_AFTER: No space left on device'), {
    code: 'LEVEL_IO_ERROR',
  });
}

/** Gives a LevelDB file error the shape dynalite returns as an HTTP error instead of throwing it. */
function asHttpError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code !== 'string' || !FILE_ERRORS.has(code)) return error;
  lastFileError = error;
  return Object.assign(error, {
    statusCode: 500,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: `local store: ${error.message}`,
    },
  });
}

/**
 * Wraps the write methods of the LevelDB class dynalite uses (once per process), before dynalite creates its
 * database, and forgets the file failure an earlier store of this process met. Reads are left alone: a missing or cut file is refused before the store opens (`checkLocalStore`).
 */
export function makeLevelErrorsAnswerable(requireFromDynalite: NodeJS.Require): void {
  lastFileError = null; // a new store: what an earlier one in this process met is not its failure
  const { Level } = requireFromDynalite('level') as { Level: { prototype: LevelPrototype } };
  const proto = Level.prototype;
  if (proto[WRAPPED] === true) return;
  for (const name of ['put', 'del', 'batch'] as const) {
    const original = proto[name];
    proto[name] = function wrapped(this: unknown, ...args: unknown[]): unknown {
      // `batch()` without operations returns a chained batch, not a promise: leave it alone.
      if (args.length === 0) return original.apply(this, args);
      const injected = injectedDiskFull();
      if (injected !== null) return Promise.reject(asHttpError(injected));
      const result = original.apply(this, args);
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw asHttpError(error);
          })
        : result;
    };
  }
  proto[WRAPPED] = true;
}

/**
 * Why the last store write failed on the file system in this process, in one phrase (e.g. "no space left on the
 * device (the disk is full): IO error: …"), or null when none did: a run that failed this way names its cause.
 */
export function storeFileFailure(): string | null {
  if (lastFileError === null) return null;
  const text = lastFileError.message.split('\n')[0] ?? '';
  if (/no space left|ENOSPC/i.test(text)) return `no space left on the device (the disk is full): ${text}`;
  if (/read-only/i.test(text)) return `the file system is read-only: ${text}`;
  return text;
}
