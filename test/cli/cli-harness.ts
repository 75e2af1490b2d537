/** Runs the real CLI in-process with captured output, and writes fleet files for it to serve. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../functions/cli/main.ts';
import type { CliIo } from '../../functions/cli/main.ts';

/** What one CLI invocation printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `fleet-auditor ...args` with the real clock fixed at `now`. */
export async function runCli(now: string, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    clock: () => new Date(now),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Writes `fleet` to a fresh temporary fleet file and returns its path. */
export function writeFleetFile(fleet: unknown, prefix = 'fleet-auditor-'): string {
  const path = join(mkdtempSync(join(tmpdir(), prefix)), 'fleet.json');
  writeFileSync(path, JSON.stringify(fleet));
  return path;
}
