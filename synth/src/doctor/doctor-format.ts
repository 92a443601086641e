// How a doctor report reads: for a person, what breaks first (file:line, value, why, fix), then what to check
// with which command; for CI, one JSON document with every field.
import type { DoctorReport } from './diagnose';
import type { Finding } from './finding';

function block(f: Finding): string[] {
  const scope = f.environments.length === 0 ? 'every environment' : f.environments.join(', ');
  const value = f.value === '' ? '' : ` ${f.value}`;
  return [
    `  ${f.file}:${f.line} ${f.key}:${value} [${f.rule}] (${scope})`,
    `      why: ${f.why}`,
    `      fix: ${f.fix}`,
    ...(f.command === undefined ? [] : [`      ${f.severity === 'warns' ? 'run' : 'check'}: ${f.command}`]),
  ];
}

/** The report for a terminal: breaking findings, then warnings, then checks, then one summary line. */
export function formatReport(report: DoctorReport): string {
  const breaks = report.findings.filter((f) => f.severity === 'breaks');
  const warns = report.findings.filter((f) => f.severity === 'warns');
  const checks = report.findings.filter((f) => f.severity === 'check');
  const names = report.environments.join(', ');
  const lines: string[] = [];
  if (breaks.length > 0) {
    lines.push(`Would break a first deploy of ${names} (${breaks.length}):`, ...breaks.flatMap(block), '');
  }
  if (warns.length > 0) {
    lines.push(
      `Would not break a first deploy, but should be done (${warns.length}; the exit code does not count them):`,
      ...warns.flatMap(block),
      '',
    );
  }
  if (checks.length > 0) {
    lines.push(
      `To check on the clusters, in AWS and on GitHub before the first deploy (${checks.length}; doctor cannot see them):`,
      ...checks.flatMap(block),
      '',
    );
  }
  const warned =
    warns.length > 0 ? `; and ${warns.length} warning(s) above (not counted in the exit code)` : '';
  lines.push(
    breaks.length > 0
      ? `doctor: ${breaks.length} value(s) would break a first deploy of ${names}; fix them, then run the ${checks.length} check(s)${warned}`
      : `doctor: nothing in the repository breaks a first deploy of ${names}; run the ${checks.length} check(s) above${warned}`,
  );
  return lines.join('\n');
}

/** The report as one JSON document (stable field order). */
export function reportJson(report: DoctorReport): string {
  return JSON.stringify(
    {
      environments: report.environments,
      ready: report.breaks === 0,
      breaks: report.breaks,
      // Counts named like the severities they count.
      warns: report.warnings,
      findings: report.findings.map((f) => ({
        severity: f.severity,
        rule: f.rule,
        file: f.file,
        line: f.line,
        key: f.key,
        value: f.value,
        why: f.why,
        fix: f.fix,
        ...(f.command !== undefined && { command: f.command }),
        // A finding about the repository as a whole (a workflow variable, Argo CD's install) concerns every
        // environment of the run: listed as such, not as an empty list that reads "none".
        environments: f.environments.length > 0 ? f.environments : report.environments,
      })),
    },
    null,
    2,
  );
}
