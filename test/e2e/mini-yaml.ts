/**
 * A minimal YAML reader for the block-style subset the eksctl writer emits (mappings, sequences, JSON-quoted
 * strings, numbers, booleans, null, `[]`, `{}`), written independently of the writer so a test can check that the
 * YAML means what the JSON plan says. It rejects anything outside that subset rather than guessing.
 */
interface Line {
  readonly indent: number;
  readonly text: string;
}

function scalar(text: string): unknown {
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('"')) return JSON.parse(text) as string;
  throw new Error(`unsupported YAML scalar: ${text}`);
}

const KEY = /^("(?:[^"\\]|\\.)*"|[^\s":][^:]*):(?: (.*))?$/;

function splitKey(text: string): [string, string | undefined] {
  const match = KEY.exec(text);
  if (match === null) throw new Error(`not a mapping entry: ${text}`);
  const raw = match[1] ?? '';
  return [raw.startsWith('"') ? (JSON.parse(raw) as string) : raw, match[2]];
}

function parseBlock(lines: Line[], at: number, indent: number): [unknown, number] {
  const first = lines[at];
  if (first === undefined || first.indent !== indent) throw new Error(`expected a block at indent ${indent}`);
  if (first.text.startsWith('- ')) {
    const items: unknown[] = [];
    let i = at;
    while (lines[i]?.indent === indent && lines[i]?.text.startsWith('- ')) {
      const content = (lines[i]?.text ?? '').slice(2);
      if (KEY.test(content) && !content.startsWith('"')) {
        lines[i] = { indent: indent + 2, text: content };
        const [value, next] = parseBlock(lines, i, indent + 2);
        items.push(value);
        i = next;
      } else {
        items.push(scalar(content));
        i += 1;
      }
    }
    return [items, i];
  }
  const map: Record<string, unknown> = {};
  let i = at;
  while (lines[i]?.indent === indent && !(lines[i]?.text.startsWith('- ') ?? false)) {
    const [key, rest] = splitKey(lines[i]?.text ?? '');
    if (rest !== undefined) {
      map[key] = scalar(rest);
      i += 1;
    } else {
      const child = lines[i + 1];
      if (child === undefined || child.indent <= indent) throw new Error(`no value under ${key}`);
      const [value, next] = parseBlock(lines, i + 1, child.indent);
      map[key] = value;
      i = next;
    }
  }
  return [map, i];
}

/** Parses one YAML document of the supported subset; comments and blank lines are skipped. */
export function parseMiniYaml(text: string): unknown {
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  const [value, next] = parseBlock(lines, 0, 0);
  if (next !== lines.length) throw new Error(`unparsed YAML from line ${next}: ${lines[next]?.text ?? ''}`);
  return value;
}
