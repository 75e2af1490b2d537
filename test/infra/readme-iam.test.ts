/**
 * The README's "IAM: who may do what" section says what infra builds: one row per Lambda entry with exactly the item
 * kinds it writes, what else it does and the fixed role name of the functions member roles trust; the member read
 * role's EKS actions, and the laptop policy of "Against a real organization", are exactly those the read role holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roleNames } from '../../functions/core/naming.ts';
import { PROJECT_ROOT } from '../../infra/fleet-auditor-app.ts';
import { FUNCTION_ACCESS, hubRoleName, hubRolesAssuming } from '../../infra/function-access.ts';
import { EKS_READ_ACTIONS } from '../../infra/stacks/member-roles-stack.ts';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const NAMESPACE = 'fleet-auditor';
const NAMES = roleNames(NAMESPACE);

/** The README text from `heading` to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = README.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const level = /^#+/.exec(heading)?.[0] ?? '#';
  const rest = README.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

/** The cells of the table rows whose first cell starts with a backticked name. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

const IAM = section('### IAM: who may do what');
const FUNCTION_ROWS = new Map(
  rows(IAM)
    .filter((cells) => /^`(nightly|upgrade)-/.test(cells[0] ?? ''))
    .map((cells) => [/^`([^`]+)`/.exec(cells[0] ?? '')?.[1] ?? '', cells]),
);

describe("README's IAM section", () => {
  it('has one row per Lambda entry of infra/function-access.ts', () => {
    expect([...FUNCTION_ROWS.keys()].sort()).toEqual(Object.keys(FUNCTION_ACCESS).sort());
  });

  it.each(Object.entries(FUNCTION_ACCESS))('says what %s may do, as its role holds it', (entry, access) => {
    const [name = '', table = '', also = ''] = FUNCTION_ROWS.get(entry) ?? [];
    // The fixed role name of the functions the member roles trust
    const fixed = hubRoleName(NAMESPACE, entry);
    expect(name).toBe(fixed === null ? `\`${entry}\`` : `\`${entry}\` (\`${fixed}\`)`);
    // Fleet table: none, read, or read and writes of exactly its item kinds
    const prefixes = access.tableWritePrefixes;
    const expectedTable =
      prefixes === null
        ? '—'
        : prefixes.length === 0
          ? 'read'
          : `read; write ${prefixes.map((prefix) => `\`${prefix}\``).join(', ')} items`;
    expect(table).toBe(expectedTable);
    // Everything else it does, and nothing it does not
    expect(also.includes('publish to the alert topic')).toBe(access.publishes);
    expect(also.includes('states:StartExecution')).toBe(access.startsUpgrades);
    expect(also.includes('organizations:ListAccounts')).toBe(access.listsOrganization);
    expect(also.includes(`assume \`${NAMES.read}\``)).toBe(access.assumes === 'read');
    expect(also.includes(`assume \`${NAMES.upgrade}\``)).toBe(access.assumes === 'upgrade');
  });

  it("lists the member read role's EKS actions, and the hub roles each member role trusts", () => {
    const [read, upgrade] = rows(IAM).filter((cells) => (cells[0] ?? '').startsWith(`\`${NAMESPACE}-`));
    const listed = [...(read?.[1] ?? '').matchAll(/`([A-Za-z]+)`/g)].map((match) => `eks:${match[1] ?? ''}`);
    expect(listed).toEqual([...EKS_READ_ACTIONS]);
    expect(read?.[2]).toBe(`the hub role \`${hubRolesAssuming(NAMESPACE, 'read').join('`, `')}\` only`);
    const trusted = hubRolesAssuming(NAMESPACE, 'upgrade').map((role) => role.replace(`${NAMESPACE}-hub-`, ''));
    for (const role of trusted) expect(upgrade?.[2]).toMatch(new RegExp(`\`(${NAMESPACE}-hub)?-${role}\``));
    expect(upgrade?.[2]?.match(/`[^`]+`/g)).toHaveLength(trusted.length);
  });

  it('gives the laptop audit role exactly the read role’s EKS actions', () => {
    const laptop = section('### Against a real organization');
    const policy = /```json\n([\s\S]*?)```/.exec(laptop)?.[1] ?? '';
    const actions = [...policy.matchAll(/"(eks:[A-Za-z]+)"/g)].map((match) => match[1]);
    expect(actions).toEqual([...EKS_READ_ACTIONS]);
  });
});
