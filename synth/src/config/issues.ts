// Turns zod's validation issues into readable messages that quote the offending value and name the rule.
import type { z } from 'zod';

/** Reads the value at a key path of plain data (undefined when absent). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Shows a value the way it was written: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** A readable message for one zod issue; names the value and the rule. */
export function issueMessage(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `${show(value)} must be ${article(issue.expected)}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_value':
      return `${show(value)} must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return `${show(value)} ${issue.message}`;
      return `${show(value)} must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${show(value)} must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'url' ? `${show(value)} must be a URL` : `${show(value)} ${issue.message}`;
    case 'custom':
      return value === undefined || typeof value === 'object'
        ? issue.message
        : `${show(value)} ${issue.message}`;
    default:
      return `${show(value)} ${issue.message}`;
  }
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
