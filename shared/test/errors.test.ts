import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { AppError, formatError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';

describe('error formatting', () => {
  const logged: string[] = [];
  const format = formatError(
    createLogger({ level: 'error', format: 'json', write: (l) => logged.push(l) }),
  );

  it('when a resolver throws one of our errors, then the client sees its code and message', () => {
    const wrapped = new GraphQLError('x', {
      originalError: new AppError('CONFLICT', 'name taken'),
      path: ['uploadFiles'],
    });
    assert.deepEqual(format({ message: 'x', path: ['uploadFiles'] }, wrapped), {
      message: 'name taken',
      path: ['uploadFiles'],
      extensions: { code: 'CONFLICT' },
    });
  });

  it('when something unexpected fails, then the client sees a generic message and the log has the details', () => {
    const wrapped = new GraphQLError('ECONNREFUSED 10.0.0.5:9000', {
      originalError: new Error('ECONNREFUSED 10.0.0.5:9000'),
      path: ['files'],
    });
    const shown = format(
      {
        message: 'ECONNREFUSED 10.0.0.5:9000',
        path: ['files'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['…'] },
      },
      wrapped,
    );
    assert.deepEqual(shown, {
      message: 'Internal server error',
      path: ['files'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    assert.match(logged.at(-1) ?? '', /ECONNREFUSED 10\.0\.0\.5/);
  });

  it('when Apollo refuses a request (parse or validation), then its message and code pass through', () => {
    const error = new GraphQLError('Syntax Error: Expected Name', {
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    assert.deepEqual(
      format({ message: error.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, error),
      {
        message: error.message,
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    );
  });
});
