// Predicates that recognise sample and placeholder values (account ids, UUIDs, hosts, OIDC ids): each returns
// the reason a value is a sample, or undefined when it looks real. Pure; no I/O.

/** Account ids that AWS's own documentation uses as examples; they are never anyone's account. */
const DOCUMENTED_ACCOUNT_IDS: ReadonlySet<string> = new Set([
  '123456789012',
  '111122223333',
  '444455556666',
  '777788889999',
  '012345678901',
  '210987654321',
  '098765432109',
]);

/**
 * Domains reserved for documentation and testing, which no public resolver answers for a real service:
 * RFC 2606 (example.com/.net/.org; the TLDs .example, .test, .invalid, .localhost) and RFC 6761 (the same,
 * plus how resolvers treat them); RFC 6762 reserves .local for multicast DNS, never a public name.
 */
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
const RESERVED_TLDS = ['example', 'test', 'invalid', 'localhost', 'local'] as const;

/** Whether a string repeats one short pattern end to end (`111…`, `1212…`, `abcabc…`). */
function repeatsPattern(text: string, maxPeriod: number): boolean {
  for (let period = 1; period <= Math.min(maxPeriod, text.length / 2); period++) {
    if (
      text
        .slice(0, period)
        .repeat(Math.ceil(text.length / period))
        .slice(0, text.length) === text
    )
      return true;
  }
  return false;
}

/** The longest run of consecutive ascending (or descending) digits/hex letters, e.g. `0123456789ABCDEF`. */
function longestSequence(text: string): number {
  const order = '0123456789abcdef';
  const values = [...text.toLowerCase()].map((c) => order.indexOf(c));
  let best = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < values.length; i++) {
    const [a, b] = [values[i - 1] as number, values[i] as number];
    up = a >= 0 && b === a + 1 ? up + 1 : 1;
    down = a >= 0 && b >= 0 && b === a - 1 ? down + 1 : 1;
    best = Math.max(best, up, down);
  }
  return best;
}

/** Why a 12-digit AWS account id is a sample, or undefined. */
export function sampleAccountId(id: string): string | undefined {
  if (DOCUMENTED_ACCOUNT_IDS.has(id)) return 'an example account id from the AWS documentation';
  if (repeatsPattern(id, 4)) return 'a repeated digit pattern, not an account AWS assigned';
  if (new Set(id).size <= 2) return `only ${new Set(id).size} distinct digits, not an account AWS assigned`;
  if (longestSequence(id) >= 8) return 'a run of consecutive digits, not an account AWS assigned';
  return undefined;
}

/** Why a UUID (e.g. the id of an ACM certificate) is a placeholder, or undefined. */
export function sampleUuid(uuid: string): string | undefined {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (/^0+$/.test(hex)) return 'the all-zero UUID';
  if (repeatsPattern(hex, 8)) return 'a repeated pattern, not an id ACM issued';
  // A random 128-bit id has about 14 distinct hex digits; AWS's examples (12345678-1234-…) have few or runs.
  if (new Set(hex).size < 6) return `only ${new Set(hex).size} distinct hex digits, not an id ACM issued`;
  if (longestSequence(hex) >= 8 || hex.includes('12345678123412341234')) {
    return 'a run of consecutive digits (the documentation example), not an id ACM issued';
  }
  return undefined;
}

/** Why a host name is not a real, resolvable name of yours, or undefined. */
export function sampleHost(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  for (const domain of RESERVED_DOMAINS) {
    if (name === domain || name.endsWith(`.${domain}`)) {
      return `${domain} is reserved for documentation (RFC 2606); nobody can own a name under it`;
    }
  }
  const tld = name.split('.').pop() ?? '';
  if ((RESERVED_TLDS as readonly string[]).includes(tld)) {
    return tld === 'local'
      ? '.local is reserved for multicast DNS (RFC 6762), not resolvable from a cluster or registry'
      : `.${tld} is a reserved top-level domain (RFC 2606, RFC 6761); no public DNS answers for it`;
  }
  return undefined;
}

/** Why the 32-hex-digit id of an EKS OIDC issuer is made up, or undefined. */
export function sampleOidcId(id: string): string | undefined {
  if (repeatsPattern(id, 16)) return 'a repeated pattern, not an issuer id EKS assigned';
  if (longestSequence(id) >= 8)
    return 'a run of consecutive hex digits (0123456789ABCDEF), not an id EKS assigned';
  if (new Set(id.toLowerCase()).size < 6) return 'only a few distinct hex digits, not an id EKS assigned';
  return undefined;
}

/** Owners of a Git URL that are placeholders in templates (github.com/example/…, github.com/your-org/…). */
const SAMPLE_OWNERS: ReadonlySet<string> = new Set([
  'example',
  'examples',
  'your-org',
  'your-organization',
  'your-user',
  'your-username',
  'username',
  'owner',
  'my-org',
]);

/** Why a Git clone URL is a sample, or undefined. */
export function sampleGitUrl(url: string): string | undefined {
  const match = /^(?:https:\/\/|ssh:\/\/(?:[^@/]+@)?|[^@/]+@)([^/:]+)(?::[0-9]+)?[/:]([^/]+)\//.exec(url);
  if (!match) return undefined;
  const [, host = '', owner = ''] = match;
  const byHost = sampleHost(host);
  if (byHost !== undefined) return byHost;
  if (SAMPLE_OWNERS.has(owner.toLowerCase()) || /^[<{]/.test(owner)) {
    return `the owner "${owner}" is a template placeholder, not your organisation`;
  }
  return undefined;
}
