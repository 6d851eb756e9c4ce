import { Writable } from 'node:stream';
import { createLogger } from '../logger';
import { FailureStreak } from './failure-streak';

interface LogLine {
  level: number;
  msg: string;
  failedTries?: number;
  err?: { message: string };
}

function capture() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as LogLine);
      callback();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info' }, sink) };
}

describe('FailureStreak', () => {
  const warned = 'warn fetching jobs failed; trying again';
  it.each([
    { tries: 'ooo', lines: [] },
    { tries: 'x', lines: [warned] },
    { tries: 'oxxxxo', lines: [warned, 'info fetching jobs works again (4)'] },
    {
      tries: 'xxoxo',
      lines: [warned, 'info fetching jobs works again (2)', warned, 'info fetching jobs works again (1)'],
    },
  ])('logs the tries $tries (x failed, o worked) as $lines', ({ tries, lines }) => {
    const log = capture();
    const streak = new FailureStreak(log.logger, 'fetching jobs');
    for (const outcome of tries) {
      if (outcome === 'x') streak.failed(new Error('connection refused'));
      else streak.succeeded();
    }
    expect(
      log.lines.map(
        ({ level, msg, failedTries }) =>
          `${level === 40 ? 'warn' : 'info'} ${msg}${failedTries ? ` (${failedTries})` : ''}`,
      ),
    ).toEqual(lines);
  });

  it("logs the first failure's error", () => {
    const log = capture();
    new FailureStreak(log.logger, 'polling').failed(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(log.lines[0]?.err?.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});
