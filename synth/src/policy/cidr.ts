/** An IPv4 or IPv6 network as a number range (for containment checks). */
export interface Network {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const head = words(halves[0] ?? '');
  const tail = halves.length === 2 ? words(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (all.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  return all.reduce((acc, w) => (acc << 16n) | BigInt(Number.parseInt(w, 16)), 0n);
}

/** Parses an address (`10.0.0.1`, `fd00:ec2::23`) as a host network (/32 or /128). */
export function parseAddress(text: string): Network | undefined {
  const v4 = ipv4(text);
  if (v4 !== undefined) return { family: 4, base: v4, prefix: 32 };
  const v6 = ipv6(text);
  return v6 === undefined ? undefined : { family: 6, base: v6, prefix: 128 };
}

/** Parses a CIDR (`10.20.0.0/22`, `fd00:ec2::23/128`); undefined when it is not one. */
export function parseCidr(text: string): Network | undefined {
  const [address = '', prefixText, extra] = text.split('/');
  if (prefixText === undefined || extra !== undefined || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const host = parseAddress(address);
  const prefix = Number(prefixText);
  if (!host || prefix > (host.family === 4 ? 32 : 128)) return undefined;
  return { family: host.family, base: host.base, prefix };
}

/** Whether `inner` (an address or network) lies within `outer`. */
export function contains(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const bits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return outer.base >> bits === inner.base >> bits;
}
