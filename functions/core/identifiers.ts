/**
 * The shapes of the identifiers the product reads and writes: AWS account ids, region names, organization roots and
 * OUs, EKS cluster (and other resource) names. One module, so the CLI, the Lambda events and environment, the
 * store and the simulator accept exactly the same ones.
 */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** A region name like `eu-west-1` or `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** An organization root id like `r-a1b2`. */
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;
/** An organizational unit id like `ou-a1b2-aaaa1111`. */
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** A root or an OU id: a parent in the organization tree. */
export const PARENT_ID_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** An EKS cluster, node group or add-on name: letters, digits, `-` and `_`, starting alphanumeric, at most 100. */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** True for a 12-digit AWS account id. @example isAccountId('111122223333') // true */
export function isAccountId(text: string): boolean {
  return ACCOUNT_ID_PATTERN.test(text);
}

/** True for a region name. @example isRegion('eu-west-1') // true; isRegion('europe') // false */
export function isRegion(text: string): boolean {
  return REGION_PATTERN.test(text);
}

/** True for an organization root (`r-…`) or OU (`ou-…-…`) id. */
export function isParentId(text: string): boolean {
  return PARENT_ID_PATTERN.test(text);
}

/** True for an OU id (not a root). */
export function isOrganizationalUnitId(text: string): boolean {
  return OU_ID_PATTERN.test(text);
}

/** True for a root id (not an OU). */
export function isRootId(text: string): boolean {
  return ROOT_ID_PATTERN.test(text);
}

/** True for an EKS cluster name. @example isClusterName('payments-prod') // true; isClusterName('-x') // false */
export function isClusterName(text: string): boolean {
  return CLUSTER_NAME_PATTERN.test(text);
}
