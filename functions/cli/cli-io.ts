/** The CLI's input and output, apart from `main` so the command modules need not import it. */

/** Where the command writes: injectable so tests capture output without a subprocess. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The real clock, used when --now is not given, and to pace progress lines. */
  readonly clock: () => Date;
  /** The environment (for NO_COLOR); none given = no colour switch-off. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * True when output may be coloured: it goes to a terminal and NO_COLOR (https://no-color.org) is not set to a
 * non-empty value.
 */
export function colourWanted(io: CliIo): boolean {
  const noColour = io.env?.['NO_COLOR'];
  return io.stdout.isTTY === true && (noColour === undefined || noColour === '');
}
