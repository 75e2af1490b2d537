/**
 * Progress of a long run on standard error, never on standard output: on a terminal one live line rewritten in
 * place; otherwise (CI logs, pipes) a plain line every few seconds, so a 40-second audit is not silent and a log
 * is not flooded.
 */

/** Where progress goes and how time is told (injectable for tests). */
interface ProgressSink {
  readonly stream: { write(text: string): unknown; isTTY?: boolean };
  readonly clock: () => Date;
  /** Minimum time between two plain lines when the stream is not a terminal (default 5 s). */
  readonly intervalMs?: number;
}

/** The default interval between two progress lines on a non-terminal stream. */
const PROGRESS_INTERVAL_MS = 5_000;

/** A progress line kept up to date: `update` as work advances, `finish` when done. */
export class Progress {
  private readonly started: number;
  private last: number;
  private live = false;

  constructor(private readonly sink: ProgressSink) {
    this.started = sink.clock().getTime();
    this.last = this.started;
  }

  /** Shows `text`: at once on a terminal; on anything else only when the interval has passed since the last line. */
  update(text: string): void {
    if (this.sink.stream.isTTY === true) {
      this.sink.stream.write(`\r\x1b[2K${text}`);
      this.live = true;
      return;
    }
    const now = this.sink.clock().getTime();
    if (now - this.last < (this.sink.intervalMs ?? PROGRESS_INTERVAL_MS)) return;
    this.last = now;
    this.sink.stream.write(`${text}\n`);
  }

  /** Clears the live line (terminal), so the command's own output starts on a clean line. */
  finish(): void {
    if (this.live) this.sink.stream.write('\r\x1b[2K');
    this.live = false;
  }

  /** Seconds since the progress started. */
  elapsedSeconds(): number {
    return Math.round((this.sink.clock().getTime() - this.started) / 1000);
  }
}

/** The `onProgress` callback of a fleet audit, showing `audited 120/400 account-regions, 950 clusters`. */
export function auditProgress(progress: Progress): (done: number, total: number, clusters: number) => void {
  return (done, total, clusters) =>
    progress.update(`audited ${done}/${total} account-regions, ${clusters} ${clusters === 1 ? 'cluster' : 'clusters'}`);
}
