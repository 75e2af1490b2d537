import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationProblems } from '../../functions/core/validation-problems.ts';

function problemsOf(schema: z.ZodType, value: unknown, root = '(root)'): string[] {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the value to be refused');
  return validationProblems(result.error, root);
}

describe('validationProblems', () => {
  it('names nested keys with dots and array items with brackets, hyphenated keys as written', () => {
    const schema = z.object({
      regions: z.record(z.string(), z.object({ clusters: z.array(z.object({ v: z.string() })) })),
    });
    expect(problemsOf(schema, { regions: { 'eu-west-1': { clusters: [{ v: 'x' }, { v: 1 }] } } })).toEqual([
      'regions.eu-west-1.clusters[1].v: Invalid input: expected string, received number',
    ]);
  });

  it('starts a path with an array index as brackets', () => {
    expect(problemsOf(z.array(z.number()), [1, 'two'])).toEqual([
      '[1]: Invalid input: expected number, received string',
    ]);
  });

  it('names a problem of the whole value by the given root, one line per issue', () => {
    expect(problemsOf(z.object({ a: z.string() }), 'nope', '(event)')).toEqual([
      '(event): Invalid input: expected object, received string',
    ]);
    expect(problemsOf(z.object({ a: z.string(), b: z.string() }), {})).toHaveLength(2);
  });
});
