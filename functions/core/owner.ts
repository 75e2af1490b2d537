/**
 * Who owns a cluster: the value of the first owner tag present on it (DESIGN §5.2 additions), so every report can
 * say whom to call. The keys are configurable (`--owner-tags`); the default looks for `team`, then `owner`.
 */
import { DEFAULT_OWNER_TAGS } from './defaults.ts';

/**
 * The value of the first of `keys` that is present (non-blank) in `tags`, or null.
 *
 * @example ownerOf({ owner: 'payments', team: '' }, ['team', 'owner']) // 'payments'
 */
export function ownerOf(
  tags: Readonly<Record<string, string>>,
  keys: readonly string[] = DEFAULT_OWNER_TAGS,
): string | null {
  for (const key of keys) {
    const value = tags[key];
    if (value !== undefined && value.trim() !== '') return value;
  }
  return null;
}
