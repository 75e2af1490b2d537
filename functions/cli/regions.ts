/**
 * Region names the CLI accepts: every AWS region known when this release was cut, and names that follow the AWS
 * naming pattern (a known area, a compass direction, a number), so a region launched later still works while a
 * misspelling like `eu-wst-1` is refused with a suggestion instead of auditing nothing.
 */

/** AWS regions known to this release, in every partition. */
const KNOWN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-west-1',
  'us-west-2',
];

/** Area, optional partition infix, compass direction, number: how AWS names its regions. */
const REGION_SHAPE =
  /^(af|ap|ca|cn|eu|eusc-[a-z]{2}|il|me|mx|sa|us)(-(gov|iso|isob|isoe|isof))?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** True when `name` is a known AWS region or has the shape of one. */
export function isRegionName(name: string): boolean {
  return KNOWN_REGIONS.includes(name) || REGION_SHAPE.test(name);
}

/** Edit distance between two short strings (Levenshtein). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known region closest to a misspelt `name`, or null when none is close (at most 2 edits). */
export function closestRegion(name: string): string | null {
  let best: { region: string; edits: number } | null = null;
  for (const region of KNOWN_REGIONS) {
    const edits = distance(name, region);
    if (edits <= 2 && (best === null || edits < best.edits)) best = { region, edits };
  }
  return best?.region ?? null;
}
