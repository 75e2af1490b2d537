/**
 * Reads the on-disk format of a LevelDB directory (the files dynalite keeps under `DIR/dynamodb`) without opening
 * it, so a damaged store is named before LevelDB sees it. LevelDB itself would not: a missing `CURRENT` makes it
 * create an empty database (and delete the old table files as obsolete), a missing or cut write-ahead log silently
 * drops what it held, and a missing table file fails later, inside dynalite, on the first read that needs it.
 *
 * Format (leveldb/doc/log_format.md, impl.md): `CURRENT` holds the name of the live `MANIFEST-NNNNNN` and a
 * newline; the manifest and the `NNNNNN.log` files are logs of 32 KiB blocks of records (CRC-32C, length, type);
 * the manifest's records are version edits naming the live table files (`NNNNNN.ldb`, or `.sst`) with their sizes,
 * and the number of the log that holds the writes not yet in a table.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What is wrong with one file of the store; null fields are absent from the message. */
export interface StoreFileProblem {
  /** The file's name inside the LevelDB directory. */
  readonly file: string;
  /** `missing`, `truncated` or `corrupt`. */
  readonly problem: 'missing' | 'truncated' | 'corrupt';
  /** One phrase saying how it was found (e.g. "named by CURRENT", "12 of 35256 bytes"). */
  readonly detail: string;
}

/** The live files of a store, as its manifest names them. */
interface LevelDbLayout {
  readonly manifest: string;
  /** Live table files by name (`NNNNNN.ldb` or `.sst`, as found on disk) and their size in bytes. */
  readonly tables: ReadonlyMap<string, number>;
  /** The write-ahead log holding the writes not yet in a table. */
  readonly log: string;
}

/** The file names LevelDB owns (the ones whose loss or damage loses data); `LOCK`, `LOG`, `LOG.old` are not. */
const STORE_FILE = /^(CURRENT|MANIFEST-\d+|\d+\.(log|ldb|sst))$/;

/** True when `name` is a LevelDB data file (CURRENT, a manifest, a log or a table file). */
function isStoreFile(name: string): boolean {
  return STORE_FILE.test(name);
}

/** The LevelDB data files present in `dir` (none when it does not exist). */
export async function listStoreFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(isStoreFile).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const BLOCK_SIZE = 32_768;
const HEADER_SIZE = 7;
const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli) of `bytes`, as LevelDB computes it. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** LevelDB stores a masked CRC so that a CRC of data that itself holds CRCs stays robust. */
function maskedCrc(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** The records of a LevelDB log file, or where it stops being readable. */
interface LogRecords {
  readonly records: Buffer[];
  /** `truncated`: the last record is cut short; `corrupt`: a checksum or a record type is wrong. */
  readonly damage: { readonly kind: 'truncated' | 'corrupt'; readonly offset: number } | null;
}

/** Splits a LevelDB log file (a manifest or a write-ahead log) into its records, checking every checksum. */
export function readLogRecords(data: Buffer): LogRecords {
  const records: Buffer[] = [];
  let pending: Buffer[] | null = null;
  let offset = 0;
  while (offset < data.length) {
    const blockLeft = BLOCK_SIZE - (offset % BLOCK_SIZE);
    if (blockLeft < HEADER_SIZE) {
      offset += blockLeft; // the block's zero-filled trailer
      continue;
    }
    if (data.length - offset < HEADER_SIZE) return { records, damage: { kind: 'truncated', offset } };
    const length = data.readUInt16LE(offset + 4);
    const type = data[offset + 6] ?? 0;
    if (type === 0 && length === 0) {
      offset += blockLeft; // preallocated zeros: LevelDB skips the rest of the block
      continue;
    }
    const end = offset + HEADER_SIZE + length;
    if (end > data.length) return { records, damage: { kind: 'truncated', offset } };
    const typed = data.subarray(offset + 6, end);
    if (length > blockLeft - HEADER_SIZE || data.readUInt32LE(offset) !== maskedCrc(typed)) {
      return { records, damage: { kind: 'corrupt', offset } };
    }
    const payload = data.subarray(offset + HEADER_SIZE, end);
    if (type === FULL && pending === null) records.push(payload);
    else if (type === FIRST && pending === null) pending = [payload];
    else if ((type === MIDDLE || type === LAST) && pending !== null) {
      pending.push(payload);
      if (type === LAST) {
        records.push(Buffer.concat(pending));
        pending = null;
      }
    } else return { records, damage: { kind: 'corrupt', offset } };
    offset = end;
  }
  return { records, damage: pending === null ? null : { kind: 'truncated', offset } };
}

/** A cursor over a version edit's varints and length-prefixed slices. */
class EditReader {
  private at = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      const byte = this.bytes[this.at];
      if (byte === undefined) throw new Error('varint runs past the record');
      this.at += 1;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  }

  skipSlice(): void {
    const length = this.varint();
    if (this.at + length > this.bytes.length) throw new Error('slice runs past the record');
    this.at += length;
  }
}

const TAG = {
  comparator: 1,
  logNumber: 2,
  nextFile: 3,
  lastSequence: 4,
  compactPointer: 5,
  deleted: 6,
  added: 7,
  prevLog: 9,
};

/** The live table files (number → size) and the log number after applying every version edit of a manifest. */
function applyVersionEdits(records: readonly Buffer[]): {
  tables: Map<number, number>;
  logNumber: number | null;
} {
  const tables = new Map<number, number>();
  let logNumber: number | null = null;
  for (const record of records) {
    const edit = new EditReader(record);
    while (!edit.done) {
      const tag = edit.varint();
      if (tag === TAG.comparator) edit.skipSlice();
      else if (tag === TAG.logNumber) logNumber = edit.varint();
      else if (tag === TAG.nextFile || tag === TAG.lastSequence || tag === TAG.prevLog) edit.varint();
      else if (tag === TAG.compactPointer) {
        edit.varint();
        edit.skipSlice();
      } else if (tag === TAG.deleted) {
        edit.varint();
        tables.delete(edit.varint());
      } else if (tag === TAG.added) {
        edit.varint();
        const number = edit.varint();
        tables.set(number, edit.varint());
        edit.skipSlice();
        edit.skipSlice();
      } else throw new Error(`unknown version-edit tag ${tag}`);
    }
  }
  return { tables, logNumber };
}

const fileNumber = (n: number, ext: string): string => `${String(n).padStart(6, '0')}.${ext}`;

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Checks a LevelDB directory that has held a store: `CURRENT` names a manifest that is whole and readable, every
 * table file it lists is there with its recorded size, and its write-ahead log is there with no damaged record
 * (a log cut inside its last record is what a crash mid-write leaves, and is accepted, as LevelDB accepts it).
 *
 * @returns the live layout, or the first problem found, naming the file.
 * @throws the file-system error when a file cannot be read for another reason than its absence.
 */
export async function inspectLevelDb(dir: string): Promise<LevelDbLayout | StoreFileProblem> {
  const current = await readOrNull(join(dir, 'CURRENT'));
  if (current === null) return { file: 'CURRENT', problem: 'missing', detail: 'it names the live manifest' };
  const name = /^(MANIFEST-\d+)\n$/.exec(current.toString('latin1'))?.[1];
  if (name === undefined) {
    const problem = current.length < 16 ? 'truncated' : 'corrupt';
    return { file: 'CURRENT', problem, detail: `${current.length} bytes, not a manifest name and a newline` };
  }
  const manifest = await readOrNull(join(dir, name));
  if (manifest === null) return { file: name, problem: 'missing', detail: 'named by CURRENT' };
  const { records, damage } = readLogRecords(manifest);
  // A manifest cut inside its last record is what a crash mid-write leaves: LevelDB ignores that record, as we do.
  if (damage?.kind === 'corrupt' || records.length === 0) {
    const at = damage === null ? 'no record' : `at byte ${damage.offset} of ${manifest.length}`;
    return { file: name, problem: damage?.kind ?? 'truncated', detail: at };
  }
  let live: ReturnType<typeof applyVersionEdits>;
  try {
    live = applyVersionEdits(records);
  } catch (error) {
    return { file: name, problem: 'corrupt', detail: (error as Error).message };
  }
  if (live.logNumber === null) return { file: name, problem: 'corrupt', detail: 'it names no write-ahead log' };
  const present = new Set(await listStoreFiles(dir));
  const tables = new Map<string, number>();
  for (const [number, size] of [...live.tables].sort(([a], [b]) => a - b)) {
    const file = [fileNumber(number, 'ldb'), fileNumber(number, 'sst')].find((f) => present.has(f));
    if (file === undefined) return { file: fileNumber(number, 'ldb'), problem: 'missing', detail: `listed in ${name}` };
    const data = await readFile(join(dir, file));
    if (data.length !== size) {
      return { file, problem: data.length < size ? 'truncated' : 'corrupt', detail: `${data.length} of ${size} bytes` };
    }
    tables.set(file, size);
  }
  const log = fileNumber(live.logNumber, 'log');
  const logData = await readOrNull(join(dir, log));
  if (logData === null) return { file: log, problem: 'missing', detail: `the write-ahead log named by ${name}` };
  const logDamage = readLogRecords(logData).damage;
  if (logDamage?.kind === 'corrupt') {
    return { file: log, problem: 'corrupt', detail: `bad record at byte ${logDamage.offset} of ${logData.length}` };
  }
  return { manifest: name, tables, log };
}
