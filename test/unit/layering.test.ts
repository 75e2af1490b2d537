import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tree shows the architecture: core ← application ← adapters / handlers / cli / local, with no import circles.
 * core imports only core; application use cases reach the outside only through their ports (plus the helpers of
 * functions/shared/), never through a Lambda wrapper, middy or Powertools, nor through the command line or the
 * local runners; adapters never reach into handlers, the command line or the local runners.
 */
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

function typescriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFilesUnder(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `import './x.ts';`: a side-effect import (no `from`). */
const SIDE_EFFECT_IMPORT = /^import\s*['"]([^'"]+)['"]/gm;

/** Every module specifier `file` imports (static, type-only, side-effect, re-exports and dynamic imports). */
function specifiersOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...[...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] ?? ''),
    ...[...source.matchAll(SIDE_EFFECT_IMPORT)].map((match) => match[1] ?? ''),
  ];
}

/** The module specifiers `file` loads at run time (type-only imports and re-exports left out). */
function runtimeSpecifiersOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...[
      ...source.matchAll(
        /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm,
      ),
    ].map((match) => match[1] ?? match[2] ?? ''),
    ...[...source.matchAll(SIDE_EFFECT_IMPORT)].map((match) => match[1] ?? ''),
  ];
}

/** What `specifier` in `file` (relative to functions/) names: a path relative to functions/, or a package. */
function targetOf(file: string, specifier: string): string {
  return specifier.startsWith('.')
    ? relative(FUNCTIONS_DIR, resolve(FUNCTIONS_DIR, dirname(file), specifier))
    : specifier;
}

/** Each import (any kind) of the files under `layer`, as `file imports target`. */
function importsOf(layer: string): { file: string; target: string }[] {
  return [...GRAPH.keys()]
    .filter((file) => file.startsWith(`${layer}/`))
    .flatMap((file) =>
      specifiersOf(join(FUNCTIONS_DIR, file)).map((specifier) => ({ file, target: targetOf(file, specifier) })),
    );
}

/** The files under functions/ that `file` loads at run time, relative to functions/. */
function localImportsOf(file: string): string[] {
  return runtimeSpecifiersOf(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(FUNCTIONS_DIR, resolve(dirname(file), specifier)));
}

const FILES = typescriptFilesUnder(FUNCTIONS_DIR);

/**
 * What the application still imports from adapters/ or the AWS SDK, file → module: the part of issue 10's
 * "application depends on ports, not on adapters" not done yet. Each entry is work left (inject it through a port
 * built by the composition roots); the list only shrinks: a new entry fails the test, and so does an entry that no
 * longer holds.
 */
const APPLICATION_ADAPTER_ALLOWLIST: readonly string[] = [
  // The nightly deps name the adapter's MemberAccount (what account discovery returns).
  'application/nightly/nightly-deps.ts imports adapters/accounts.ts',
  // AuditAccountRegion tells a member fault (recorded) from others (thrown) by the adapter's error class.
  'application/nightly/audit-account-region-task.ts imports adapters/aws-errors.ts',
  // The upgrade tasks read EKS and CloudWatch through the adapters' functions, not through a port (the EKS writes
  // go through the ClusterUpdater port; PollUpdate still throws the adapter's UpdateFailedError).
  'application/upgrade/bake.ts imports @aws-sdk/client-eks',
  'application/upgrade/bake.ts imports adapters/aws-errors.ts',
  'application/upgrade/bake.ts imports adapters/rollback-facts.ts',
  'application/upgrade/live-cluster.ts imports adapters/eks-catalog.ts',
  'application/upgrade/live-cluster.ts imports adapters/eks-inventory.ts',
  'application/upgrade/poll-update.ts imports adapters/eks-upgrader.ts',
  'application/upgrade/upgrade-deps.ts imports @aws-sdk/client-cloudwatch',
  'application/upgrade/upgrade-deps.ts imports @aws-sdk/client-eks',
  'application/upgrade/upgrade-deps.ts imports adapters/eks-catalog.ts',
  // The Lambda-substitution table with the local runner's task wiring belongs with the local runner.
  'application/upgrade/upgrade-tasks.ts imports adapters/local-step-functions.ts',
  // The store's not-found error is declared by the DynamoDB adapter.
  'application/ports/fleet-store.ts imports adapters/store/store-errors.ts',
];
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

  it('keeps core to core: no other layer, no AWS SDK, only the pure libraries', () => {
    const offending = importsOf('core')
      .filter(({ target }) => !target.startsWith('core/') && !['zod', 'luxon', 'node:crypto'].includes(target))
      .map(({ file, target }) => `${file} imports ${target}`);
    expect(offending).toEqual([]);
  });

  it('lets application import only core, application, shared and the adapters still on the allowlist', () => {
    const outside = importsOf('application')
      .filter(({ target }) => !/^(core|application|shared)\//.test(target) && !['zod', 'node:crypto'].includes(target))
      .map(({ file, target }) => `${file} imports ${target}`);
    expect([...new Set(outside)].sort()).toEqual([...APPLICATION_ADAPTER_ALLOWLIST].sort());
  });

  it('keeps adapters and shared out of handlers, the CLI and the local runners', () => {
    const offending = [...importsOf('adapters'), ...importsOf('shared')]
      .filter(({ target }) => /^(handlers|cli|local)\//.test(target))
      .map(({ file, target }) => `${file} imports ${target}`);
    expect(offending).toEqual([]);
  });

  it('counts a side-effect import as an import of every kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layering-'));
    const file = join(dir, 'probe.ts');
    writeFileSync(file, "import './quiet.ts';\nimport type { T } from './types.ts';\nimport { x } from './y.ts';\n");
    try {
      expect(specifiersOf(file).sort()).toEqual(['./quiet.ts', './types.ts', './y.ts']);
      expect(runtimeSpecifiersOf(file).sort()).toEqual(['./quiet.ts', './y.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
