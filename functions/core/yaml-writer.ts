/**
 * A small YAML writer for plain data (objects, arrays, strings, numbers, booleans, null): block style, keys in
 * insertion order, every string double-quoted with JSON escapes (valid YAML 1.2, and never misread as a number,
 * boolean or date). Enough for an eksctl ClusterConfig without a YAML dependency.
 */

/** A value the writer accepts. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function key(name: string): string {
  return PLAIN_KEY.test(name) && !['true', 'false', 'null', 'yes', 'no', 'on', 'off'].includes(name.toLowerCase())
    ? name
    : JSON.stringify(name);
}

function isEmptyCollection(value: YamlValue): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    return (value as readonly YamlValue[]).flatMap((item) => {
      if (typeof item !== 'object' || item === null || isEmptyCollection(item)) {
        return [`${indent}- ${inline(item)}`];
      }
      const [first = '', ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as { readonly [key: string]: YamlValue }).flatMap(([name, item]) => {
      if (typeof item !== 'object' || item === null || isEmptyCollection(item)) {
        return [`${indent}${key(name)}: ${inline(item)}`];
      }
      return [`${indent}${key(name)}:`, ...lines(item, `${indent}  `)];
    });
  }
  return [`${indent}${inline(value)}`];
}

function inline(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return scalar(value as string | number | boolean | null);
}

/**
 * Renders `value` (an object) as a YAML document, with optional leading comment lines.
 *
 * @example toYaml({ kind: 'ClusterConfig', metadata: { name: 'a' } }) // 'kind: "ClusterConfig"\nmetadata:\n  name: "a"\n'
 */
export function toYaml(value: { readonly [key: string]: YamlValue }, comments: readonly string[] = []): string {
  return `${[...comments.map((c) => `# ${c}`), ...lines(value, '')].join('\n')}\n`;
}
