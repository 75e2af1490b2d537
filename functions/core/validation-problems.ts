/**
 * The one way a failed validation is told: one `path: message` line per problem, the path written as a reader
 * follows it in the file (`accounts[1].regions.eu-west-1.clusters[0].version`), so a bad fleet file, event, task
 * input or environment variable names exactly what is wrong. (zod's own `prettifyError` and `toDotPath` write
 * several lines per problem and `regions["eu-west-1"]`; the CLI and the Lambdas report one line.)
 */
import type { z } from 'zod';

/** One `path: message` per issue of `error`; `root` names a problem of the whole value (an empty path). */
export function validationProblems(error: z.ZodError, root: string): string[] {
  return error.issues.map((issue) => `${pathOf(issue.path) || root}: ${issue.message}`);
}

/** `accounts[1].regions.eu-west-1.clusters[0].version` from zod's path array; '' for the whole value. */
function pathOf(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
