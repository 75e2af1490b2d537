import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * functions/core is pure (DESIGN §2): no AWS SDK, no environment, no clock, no randomness. The clock and every fact
 * are arguments, so the core is tested without mocks and decides the same way in Lambda, the CLI and the simulator.
 */
const CORE_DIR = fileURLToPath(new URL('../../functions/core/', import.meta.url));

const FORBIDDEN: readonly { readonly rule: string; readonly pattern: RegExp }[] = [
  { rule: 'imports @aws-sdk', pattern: /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]@aws-sdk\// },
  { rule: 'mentions process.env', pattern: /\bprocess\s*\.\s*env\b/ },
  { rule: 'reads the clock with Date.now()', pattern: /\bDate\s*\.\s*now\s*\(/ },
  { rule: 'reads the clock with new Date()', pattern: /\bnew\s+Date\s*\(\s*\)/ },
  { rule: 'reads the clock with DateTime.now()', pattern: /\bDateTime\s*\.\s*now\s*\(/ },
  { rule: 'uses DateTime.local(', pattern: /\bDateTime\s*\.\s*local\s*\(/ },
  { rule: 'reads the clock with DateTime.utc()', pattern: /\bDateTime\s*\.\s*utc\s*\(\s*\)/ },
  { rule: 'reads the clock with performance.now()', pattern: /\bperformance\s*\.\s*now\s*\(/ },
  { rule: 'reads the clock with Date() called as a function', pattern: /(?<![\w.$]|new\s)Date\s*\(\s*\)/ },
  { rule: 'uses Math.random()', pattern: /\bMath\s*\.\s*random\s*\(/ },
];

/** The rules `source` breaks, one line each (`rule` at line N). */
function violations(source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, index) => {
    for (const { rule, pattern } of FORBIDDEN) {
      if (pattern.test(line)) found.push(`${rule} at line ${index + 1}: ${line.trim()}`);
    }
  });
  return found;
}

function typescriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFilesUnder(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the purity rule', () => {
  it.each([
    ["import { EKSClient } from '@aws-sdk/client-eks';", 'imports @aws-sdk'],
    ['import type { Cluster } from "@aws-sdk/client-eks";', 'imports @aws-sdk'],
    ["const eks = await import('@aws-sdk/client-eks');", 'imports @aws-sdk'],
    ["import '@aws-sdk/client-sts';", 'imports @aws-sdk'],
    ['const region = process.env.AWS_REGION;', 'mentions process.env'],
    ["const prefix = process.env['TAG_PREFIX'];", 'mentions process.env'],
    ['const t = Date.now();', 'reads the clock with Date.now()'],
    ['const now = new Date();', 'reads the clock with new Date()'],
    ['const now = new Date( );', 'reads the clock with new Date()'],
    ['const now = DateTime.now();', 'reads the clock with DateTime.now()'],
    ['const local = DateTime.local();', 'uses DateTime.local('],
    ['const utc = DateTime.utc();', 'reads the clock with DateTime.utc()'],
    ['const t = performance.now();', 'reads the clock with performance.now()'],
    ['const text = Date();', 'reads the clock with Date() called as a function'],
    ['const id = Math.random().toString(36);', 'uses Math.random()'],
  ])('flags %j', (line, rule) => {
    expect(violations(line).join('\n')).toContain(rule);
  });

  it.each([
    'const day = new Date(now.getTime() + 86_400_000);',
    "const when = new Date('2026-11-22T00:00:00Z');",
    'const zoned = DateTime.fromJSDate(now, { zone });',
    'const start = DateTime.utc(2026, 3, 29);',
    "import type { Version } from './types.ts';",
    'const ms = Date.UTC(2026, 0, 1);',
    'const copy = toDate();',
  ])('allows %j', (line) => {
    expect(violations(line)).toEqual([]);
  });
});

describe('functions/core', () => {
  const files = typescriptFilesUnder(CORE_DIR);

  it('has TypeScript files to check', () => {
    expect(files.map((f) => relative(CORE_DIR, f))).toContain('types.ts');
  });

  it.each(files.map((f) => [relative(CORE_DIR, f), f]))(
    '%s imports no @aws-sdk and reads no environment, clock or randomness',
    (_name, path) => {
      expect(violations(readFileSync(path, 'utf8'))).toEqual([]);
    },
  );
});
