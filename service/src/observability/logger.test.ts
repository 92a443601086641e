import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../test/memory-logger';
import { createLogger } from './logger';

const at = new Date('2026-11-24T22:00:00.000Z');

describe('createLogger', () => {
  it('should write one JSON object per line: level, ISO time, the fields, then the message', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line), now: () => at });
    log.info('request', { method: 'GET', status: 200, ms: 1.5, cached: false, skipped: undefined });
    expect(lines).toEqual([
      '{"level":"info","time":"2026-11-24T22:00:00.000Z","method":"GET","status":200,"ms":1.5,"cached":false,"msg":"request"}',
    ]);
  });

  it('should drop lines under its level, and write nothing when silent', () => {
    const lines: string[] = [];
    const warn = createLogger({ level: 'warn', write: (line) => lines.push(line), now: () => at });
    warn.debug('d');
    warn.info('i');
    warn.warn('w');
    warn.error('e', { code: 'E1' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'warn', time: at.toISOString(), msg: 'w' },
      { level: 'error', time: at.toISOString(), code: 'E1', msg: 'e' },
    ]);
    const silent = createLogger({ level: 'silent', write: (line) => lines.push(line) });
    silent.error('never');
    expect(lines).toHaveLength(2);
  });

  it('should keep a message with a newline on one line', () => {
    const memory = createMemoryLogger();
    memory.info('two\nlines', { path: '/a"b' });
    expect(memory.lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'two\nlines', path: '/a"b' }),
    ]);
  });
});
