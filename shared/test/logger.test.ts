import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../src/logger.ts';

describe('logger', () => {
  it('when writing JSON, then each line is one object with time, level, message and the bound fields', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      format: 'json',
      fields: { service: 'files' },
      write: (l) => lines.push(l),
    });
    logger.debug('hidden');
    logger.child({ requestId: 'r1' }).warn('slow', { ms: 12, err: new Error('boom') });
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] as string);
    assert.equal(record.level, 'warn');
    assert.equal(record.msg, 'slow');
    assert.equal(record.service, 'files');
    assert.equal(record.requestId, 'r1');
    assert.equal(record.ms, 12);
    assert.equal(record.err.message, 'boom');
    assert.match(record.err.stack, /Error: boom/);
    assert.ok(!Number.isNaN(Date.parse(record.time)));
  });

  it('when the format is pretty, then a line reads like a sentence; when silent, nothing is written', () => {
    const lines: string[] = [];
    createLogger({
      level: 'debug',
      format: 'pretty',
      fields: { service: 'gateway' },
      write: (l) => lines.push(l),
    }).info('ready', { port: 4000 });
    assert.match(lines[0] ?? '', /info .*gateway ready port=4000/);
    createLogger({ level: 'debug', format: 'silent', write: (l) => lines.push(l) }).error('never');
    assert.equal(lines.length, 1);
  });
});
