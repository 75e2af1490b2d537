import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tree shows the architecture: core ← application ← adapters / handlers / cli / local, with no import circles.
 * Application use cases reach the outside only through their ports, never through a Lambda wrapper, middy or
 * Powertools, nor through the command line or the local runners.
 */
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

function typescriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFilesUnder(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier `file` imports (static, type-only, re-exports and dynamic imports). */
function specifiersOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');
}

/** The module specifiers `file` loads at run time (type-only imports and re-exports left out). */
function runtimeSpecifiersOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(
      /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm,
    ),
  ].map((match) => match[1] ?? match[2] ?? '');
}

/** The files under functions/ that `file` loads at run time, relative to functions/. */
function localImportsOf(file: string): string[] {
  return runtimeSpecifiersOf(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(FUNCTIONS_DIR, resolve(dirname(file), specifier)));
}

const FILES = typescriptFilesUnder(FUNCTIONS_DIR);
const GRAPH = new Map(FILES.map((file) => [relative(FUNCTIONS_DIR, file), localImportsOf(file)]));

/** Each import circle, as the files along it. */
function circles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of GRAPH.get(file) ?? []) {
      if (!GRAPH.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of GRAPH.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

describe('the layering of functions/', () => {
  it('has no import circles at run time', () => {
    expect(circles()).toEqual([]);
  });

  it('keeps application free of handlers, the CLI, the local runners, middy and Powertools', () => {
    const offending = [...GRAPH.keys()]
      .filter((file) => file.startsWith('application/'))
      .flatMap((file) =>
        specifiersOf(join(FUNCTIONS_DIR, file))
          .filter((specifier) => {
            const target = specifier.startsWith('.')
              ? relative(FUNCTIONS_DIR, resolve(FUNCTIONS_DIR, dirname(file), specifier))
              : specifier;
            return /^(handlers|cli|local)\//.test(target) || /^@middy\/|^@aws-lambda-powertools\//.test(target);
          })
          .map((specifier) => `${file} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });

  it('keeps only entry points, wrappers, composition roots and the environment in handlers', () => {
    const handlerFiles = [...GRAPH.keys()].filter((file) => file.startsWith('handlers/')).sort();
    const unexpected = handlerFiles.filter(
      (file) =>
        !/^handlers\/entry\/[a-z-]+\.ts$/.test(file) &&
        ![
          'handlers/environment.ts',
          'handlers/lambda-handler.ts',
          'handlers/nightly-handlers.ts',
          'handlers/upgrade-handlers.ts',
          'handlers/nightly/aws-deps.ts',
          'handlers/upgrade/aws-deps.ts',
        ].includes(file),
    );
    expect(handlerFiles.length).toBeGreaterThan(6);
    expect(unexpected).toEqual([]);
  });
});
