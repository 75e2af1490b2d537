/** Where a command's output goes: standard output, or `--out FILE`. */
import { writeFile } from 'node:fs/promises';
import type { CliIo } from './cli-io.ts';
import type { CliOptions } from './options.ts';

/** Writes `text` to `--out FILE` when given, else to standard output. */
export async function emit(options: Pick<CliOptions, 'out'>, io: CliIo, text: string): Promise<void> {
  if (options.out === null) io.stdout.write(text);
  else await writeFile(options.out, text);
}
