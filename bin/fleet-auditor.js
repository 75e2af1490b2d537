#!/usr/bin/env node
// Entry point for `fleet-auditor`. Runs the compiled CLI (dist/, from `npm run build`; shipped in the package).
// In a source checkout it runs the TypeScript sources through tsx instead when dist/ is absent or older than
// them, so `npm ci && npm start` works without a build and never runs stale JavaScript.
// Keep this file light: answers that need no AWS code (--version) are given before the CLI is imported.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const root = new URL('../', import.meta.url);

/** Answers that need none of the CLI's modules, or null to run the CLI. */
function fastPath(args) {
  if (args.length === 1 && args[0] === '--version') {
    return `${JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version}\n`;
  }
  return null;
}

/** Newest modification time (ms) of the .ts files under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

/** The CLI module to load: the compiled one, unless this is a source checkout whose dist/ is missing or stale. */
async function loadCli() {
  const compiled = new URL('dist/cli/main.js', root);
  const sources = new URL('functions/', root);
  const built = existsSync(compiled);
  if (!existsSync(sources)) return import(compiled.href);
  const fresh = built && statSync(compiled).mtimeMs >= newestSource(fileURLToPath(sources));
  if (fresh) return import(compiled.href);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    if (!built) throw new Error('dist/ is missing and tsx is not installed: run `npm run build` first');
    process.stderr.write('fleet-auditor: dist/ is older than functions/; run `npm run build`\n');
    return import(compiled.href);
  }
  register();
  return import(new URL('functions/cli/main.ts', root).href);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const answer = fastPath(argv);
if (answer !== null) {
  process.stdout.write(answer);
} else {
  try {
    const { main } = await loadCli();
    process.exitCode = await main(argv);
  } catch (error) {
    process.stderr.write(`fleet-auditor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
