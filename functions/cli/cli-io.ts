/** The CLI's input and output, apart from `main` so the command modules need not import it. */

/** Where the command writes: injectable so tests capture output without a subprocess. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The real clock, used when --now is not given. */
  readonly clock: () => Date;
}
