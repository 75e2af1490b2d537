import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DomainError, InvalidVersionError } from '../../functions/core/errors.ts';
import {
  compareVersions,
  isVersion,
  minorsBetween,
  nextMinor,
  parseVersion,
  upgradePath,
} from '../../functions/core/versions.ts';

const minorVersion = fc
  .record({ major: fc.integer({ min: 0, max: 3 }), minor: fc.integer({ min: 0, max: 60 }) })
  .map(({ major, minor }) => ({ major, minor, text: `${major}.${minor}` }));

describe('DomainError', () => {
  it('keeps its code, name and cause', () => {
    const cause = new Error('root');
    const error = new DomainError('SOMETHING', 'went wrong', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'SOMETHING', message: 'went wrong', cause });
  });

  it('has no cause when none is given', () => {
    expect(new InvalidVersionError('bad').cause).toBeUndefined();
    expect(new InvalidVersionError('bad', { cause: 'why' }).cause).toBe('why');
  });
});

describe('isVersion', () => {
  it.each(['1.31', '1.9', '1.10', '0.0', '2.0', '10.100'])('accepts %j', (text) => {
    expect(isVersion(text)).toBe(true);
  });

  it.each([
    '1.31.2',
    'v1.31',
    '1.x',
    '',
    'latest',
    '01.31',
    '1.031',
    ' 1.31',
    '1.31 ',
    '1 .31',
    '1',
    '.31',
    '1.',
    '-1.2',
    '1.-2',
    '1,31',
    '99999999999999999999.1',
  ])('rejects %j', (text) => {
    expect(isVersion(text)).toBe(false);
  });
});

describe('parseVersion', () => {
  it.each([
    ['1.31', 1, 31],
    ['1.9', 1, 9],
    ['0.0', 0, 0],
    ['2.10', 2, 10],
  ])('parses %j into major %i and minor %i', (text, major, minor) => {
    expect(parseVersion(text)).toEqual({ major, minor });
  });

  it.each(['1.31.2', 'v1.31', '1.x', '', 'latest'])('throws InvalidVersionError naming %j', (text) => {
    const act = (): unknown => parseVersion(text);
    expect(act).toThrow(InvalidVersionError);
    expect(act).toThrow(`${JSON.stringify(text)} is not a Kubernetes minor version`);
  });

  it('throws an error that is a DomainError with code INVALID_VERSION and its own name', () => {
    let caught: unknown;
    try {
      parseVersion('latest');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ name: 'InvalidVersionError', code: 'INVALID_VERSION' });
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.9', '1.10', -1],
    ['1.10', '1.9', 1],
    ['1.31', '1.31', 0],
    ['1.31', '2.0', -1],
    ['2.0', '1.99', 1],
    ['0.9', '1.0', -1],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('sorts versions numerically, not as strings', () => {
    expect(['1.10', '1.9', '1.31', '1.2'].sort(compareVersions)).toEqual(['1.2', '1.9', '1.10', '1.31']);
  });

  it('throws on an invalid operand', () => {
    expect(() => compareVersions('1.31', 'v1.32')).toThrow(InvalidVersionError);
  });

  it('is a total order consistent with numeric (major, minor)', () => {
    fc.assert(
      fc.property(minorVersion, minorVersion, minorVersion, (a, b, c) => {
        const numeric = Math.sign(a.major - b.major || a.minor - b.minor);
        expect(compareVersions(a.text, b.text)).toBe(numeric);
        expect(compareVersions(b.text, a.text)).toBe(0 - numeric);
        expect(compareVersions(a.text, a.text)).toBe(0);
        if (compareVersions(a.text, b.text) <= 0 && compareVersions(b.text, c.text) <= 0) {
          expect(compareVersions(a.text, c.text)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});

describe('nextMinor', () => {
  it.each([
    ['1.9', '1.10'],
    ['1.31', '1.32'],
    ['1.0', '1.1'],
    ['2.99', '2.100'],
  ])('steps %s to %s', (from, to) => {
    expect(nextMinor(from)).toBe(to);
  });

  it('throws on an invalid version', () => {
    expect(() => nextMinor('1.x')).toThrow(InvalidVersionError);
  });
});

describe('minorsBetween', () => {
  it.each([
    ['1.9', '1.10', 1],
    ['1.28', '1.31', 3],
    ['1.31', '1.31', 0],
    ['1.31', '1.28', -3],
  ])('counts %s to %s as %i', (from, to, expected) => {
    expect(minorsBetween(from, to)).toBe(expected);
  });

  it('throws when the majors differ', () => {
    expect(() => minorsBetween('1.31', '2.0')).toThrow(/different major versions/);
  });
});

describe('upgradePath', () => {
  it.each([
    ['1.29', '1.32', ['1.30', '1.31', '1.32']],
    ['1.9', '1.10', ['1.10']],
    ['1.31', '1.32', ['1.32']],
    ['1.31', '1.31', []],
  ])('goes from %s to %s through %j', (from, to, expected) => {
    expect(upgradePath(from, to)).toEqual(expected);
  });

  it('throws InvalidVersionError saying a downgrade is impossible', () => {
    const act = (): unknown => upgradePath('1.32', '1.30');
    expect(act).toThrow(InvalidVersionError);
    expect(act).toThrow('cannot upgrade from 1.32 to 1.30: 1.30 is older, and a downgrade is impossible');
  });

  it('refuses to plan across major versions', () => {
    expect(() => upgradePath('1.31', '2.0')).toThrow(/across major versions/);
  });

  it('throws on an invalid version', () => {
    expect(() => upgradePath('1.31', 'latest')).toThrow(InvalidVersionError);
  });

  it('always steps one minor at a time and ends at the target', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 20 }),
        (major, minor, distance) => {
          const from = `${major}.${minor}`;
          const to = `${major}.${minor + distance}`;
          const path = upgradePath(from, to);
          expect(path).toHaveLength(distance);
          let previous = from;
          for (const hop of path) {
            expect(hop).toBe(nextMinor(previous));
            previous = hop;
          }
          expect(previous).toBe(to);
        },
      ),
    );
  });
});
