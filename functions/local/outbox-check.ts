/**
 * The local outbox (`DIR/outbox.jsonl`, one JSON message per line) is checked before a run appends to it: a line
 * that is not a whole message is named (file and line) and the run refused, rather than the outbox's duplicate
 * check quietly skipping it. A last line cut short by a crash mid-append (no newline) is the one exception: that
 * message never went out whole, its claim is still PENDING in the alert ledger and is published again, so the
 * fragment is cut off.
 */
import { appendFile, readFile, truncate } from 'node:fs/promises';
import { StateDirError, describeFsError } from './state-dir.ts';

/** What {@link checkOutbox} found. */
interface OutboxCheck {
  /** Whole messages in the outbox. */
  readonly messages: number;
  /** Bytes of a torn last line that were cut off (0 when the file ended whole). */
  readonly tornBytes: number;
}

function isMessage(line: string): boolean {
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return false;
    const event = (parsed as { event?: unknown }).event;
    return typeof event === 'object' && event !== null;
  } catch {
    return false;
  }
}

/**
 * Checks the outbox at `path` (absent = empty).
 *
 * @throws StateDirError `STATE_DAMAGED` naming the first line that is not a whole message, or naming the cause
 *   when the file cannot be read or its torn tail cannot be cut off.
 */
export async function checkOutbox(path: string): Promise<OutboxCheck> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { messages: 0, tornBytes: 0 };
    throw describeFsError(error, path, 'read');
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  for (const [index, line] of lines.entries()) {
    if (!isMessage(line)) {
      throw new StateDirError(
        'STATE_DAMAGED',
        `${path} is damaged: line ${index + 1} is not a whole message. Restore it from a backup, or move it ` +
          'away (the alert ledger in the store still knows what was sent, so nothing is sent twice)',
      );
    }
  }
  const tail = text.slice(end);
  if (tail === '') return { messages: lines.length, tornBytes: 0 };
  try {
    // A whole message that only lacks its newline keeps its place; a fragment is cut off.
    if (isMessage(tail)) await appendFile(path, '\n');
    else await truncate(path, Buffer.byteLength(text.slice(0, end)));
  } catch (error) {
    throw describeFsError(error, path, 'mend the last line of');
  }
  return isMessage(tail)
    ? { messages: lines.length + 1, tornBytes: 0 }
    : { messages: lines.length, tornBytes: Buffer.byteLength(tail) };
}
