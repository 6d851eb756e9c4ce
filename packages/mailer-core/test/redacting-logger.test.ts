import { redactingLogger, type Logger, type LogLevel } from '../src';

/** A logger that records what reaches it and writes only the levels it is given. */
function recordingLogger(enabled: readonly LogLevel[] | undefined) {
  const lines: Array<{ level: LogLevel; obj: object; msg?: string }> = [];
  const write = (level: LogLevel) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  const logger: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
  if (enabled) logger.isLevelEnabled = (level) => enabled.includes(level);
  return { logger, lines };
}

const SECRET = 'pa55-w0rd-value';

describe('redactingLogger', () => {
  it.each([
    {
      case: 'a secret in the message and in nested strings',
      obj: { reply: `535 auth failed for ${SECRET}`, nested: { list: [`x ${SECRET}`] } },
      msg: `login with ${SECRET}`,
      expected: { reply: '535 auth failed for [redacted]', nested: { list: ['x [redacted]'] } },
      expectedMsg: 'login with [redacted]',
    },
    {
      case: 'fields named like credentials',
      obj: { password: 'anything', apiKey: 'k', user: 'app' },
      msg: undefined,
      expected: { password: '[redacted]', apiKey: '[redacted]', user: 'app' },
      expectedMsg: undefined,
    },
    {
      case: 'an error, reduced to name, code and message',
      obj: { err: Object.assign(new Error(`bad ${SECRET}`), { code: 'EAUTH', response: SECRET }) },
      msg: undefined,
      expected: { err: { name: 'Error', message: 'bad [redacted]', code: 'EAUTH' } },
      expectedMsg: undefined,
    },
  ])('takes out $case', ({ obj, msg, expected, expectedMsg }) => {
    const { logger, lines } = recordingLogger(undefined);
    redactingLogger(logger, () => [SECRET]).warn(obj, msg);
    expect(lines).toEqual([{ level: 'warn', obj: expected, msg: expectedMsg }]);
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it('skips a level the logger does not write, without even reading the secrets', () => {
    const { logger, lines } = recordingLogger(['warn', 'error']);
    let secretReads = 0;
    const safe = redactingLogger(logger, () => {
      secretReads++;
      return [SECRET];
    });
    safe.debug({ note: SECRET }, 'debug line');
    safe.info({ note: SECRET }, 'info line');
    expect(lines).toEqual([]);
    expect(secretReads).toBe(0);
    safe.error({ note: SECRET }, 'error line');
    expect(lines).toEqual([{ level: 'error', obj: { note: '[redacted]' }, msg: 'error line' }]);
  });
});
