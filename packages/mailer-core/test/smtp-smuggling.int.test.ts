import { createMailer, type Message } from '../src';
import { silentLogger } from '../src/logger';
import type { Envelope } from '../src/message';
import { startRawSmtpRecorder, type RawSmtpRecorder } from '../src/test-support';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import { DEFAULT_TIMEOUTS } from '../src/transports/transport';
import { mimeLeaves, type MimeLeaf } from './support/mime';
import { smtpProvider, testEnvelope } from './support/smtp-fixtures';

/**
 * Content that would end the message early for a receiver taking a bare CR or a bare LF for the end of
 * a line, and then pass what follows as commands of its own: a second message, to anyone.
 */
const SMUGGLED = 'MAIL FROM:<x@y>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nsmuggled\r\n';
const TEXT = `Hello\r.\r\n${SMUGGLED}.\r\nand\n.\r\nor\r.\rthen\n.\nend\r`;
const HTML = `<p>one</p>\r.\r\n${SMUGGLED}<p>two</p>\n.\n`;
const NOTES = Buffer.from(`plain file\r.\r\n${SMUGGLED}kept as it is\n`);
const FORWARDED = Buffer.from(`Subject: forwarded\n\nline\r.\r\n${SMUGGLED}.\nlast\r`);

const CRLF_TEXT = TEXT.replace(/\r\n|\r|\n/g, '\r\n');
const CRLF_HTML = HTML.replace(/\r\n|\r|\n/g, '\r\n');
const CRLF_FORWARDED = FORWARDED.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');

const MESSAGE: Message = {
  to: 'ann@example.com',
  subject: 'Line endings',
  text: TEXT,
  html: HTML,
  attachments: [
    { filename: 'notes.txt', content: NOTES, contentType: 'text/plain' },
    { filename: 'forwarded.eml', content: FORWARDED, contentType: 'message/rfc822' },
  ],
};

/** The same content as an envelope handed to the SMTP transport directly, not prepared by the engine. */
function rawEnvelope(): Envelope {
  return testEnvelope({
    subject: MESSAGE.subject,
    text: TEXT,
    html: HTML,
    attachments: [
      { filename: 'notes.txt', content: NOTES, contentType: 'text/plain' },
      { filename: 'forwarded.eml', content: FORWARDED, contentType: 'message/rfc822' },
    ],
  });
}

type Path = 'engine' | 'transport';

async function sendThrough(path: Path, recorder: RawSmtpRecorder): Promise<void> {
  // A relay with no login (Username and Password empty), as the recorder offers no AUTH.
  const provider = smtpProvider(recorder);
  if (path === 'engine') {
    const mailer = createMailer({ providers: [provider] });
    try {
      const result = await mailer.send(MESSAGE);
      expect(result.ok).toBe(true);
    } finally {
      await mailer.close();
    }
    return;
  }
  const transport = createSmtpTransport(provider, { timeouts: DEFAULT_TIMEOUTS, logger: silentLogger });
  try {
    const result = await transport.send(rawEnvelope());
    expect(result.ok).toBe(true);
  } finally {
    await transport.close();
  }
}

function leafOf(leaves: MimeLeaf[], match: (leaf: MimeLeaf) => boolean): MimeLeaf {
  const leaf = leaves.find(match);
  if (!leaf) throw new Error('part not found');
  return leaf;
}

describe.each<{ path: Path; pipelining: boolean }>([
  { path: 'engine', pipelining: true },
  { path: 'engine', pipelining: false },
  { path: 'transport', pipelining: true },
  { path: 'transport', pipelining: false },
])('content sent through the $path, pipelining $pipelining', ({ path, pipelining }) => {
  let recorder: RawSmtpRecorder;
  let data: Buffer;

  beforeAll(async () => {
    recorder = await startRawSmtpRecorder({ pipelining });
    await sendThrough(path, recorder);
    [data] = (await recorder.waitForDataSections(1)) as [Buffer];
  });

  afterAll(async () => {
    await recorder.close();
  });

  it('is one message: nothing after it was taken for commands', () => {
    expect(recorder.dataSections).toHaveLength(1);
    const commands = recorder.sessions
      .map((bytes) => bytes.toString('latin1').replace(data.toString('latin1'), ''))
      .join('')
      .split('\r\n')
      .filter((line) => /^MAIL FROM/i.test(line));
    expect(commands).toHaveLength(1);
  });

  it('carries no bare CR and no bare LF', () => {
    const wire = data.toString('latin1');
    expect(wire.match(/\r(?!\n)|(?<!\r)\n/g) ?? []).toEqual([]);
  });

  it('has no line of a lone dot but the final one, however a receiver splits lines', () => {
    const wire = data.toString('latin1');
    expect(wire.includes('\r.\r\n')).toBe(false);
    expect(wire.indexOf('\n.\r\n')).toBe(wire.length - 4);
    const lines = wire.split(/\r\n|\r|\n/);
    const dots = lines.flatMap((line, i) => (line === '.' ? [i] : []));
    expect(dots).toEqual([lines.length - 2]);
  });

  it('arrives as the text that was sent, every line ended with CRLF', () => {
    // The receiver takes off the terminator and the dots doubled at the start of lines.
    const content = data
      .subarray(0, data.length - 3)
      .toString('latin1')
      .replace(/(^|\r\n)\.\./g, '$1.');
    const leaves = mimeLeaves(content);
    const type = (leaf: MimeLeaf) => leaf.headers['content-type'] ?? '';
    const plain = leafOf(leaves, (leaf) => /^text\/plain/i.test(type(leaf)) && !/name=/i.test(type(leaf)));
    expect(plain.body.toString('utf8')).toBe(CRLF_TEXT);
    expect(leafOf(leaves, (leaf) => /^text\/html/i.test(type(leaf))).body.toString('utf8')).toBe(CRLF_HTML);
    const notes = leafOf(leaves, (leaf) => /notes\.txt/.test(type(leaf)));
    expect(notes.headers['content-transfer-encoding']).toBe('base64');
    expect(notes.body.equals(NOTES)).toBe(true);
    const forwarded = leafOf(leaves, (leaf) => /^message\/rfc822/i.test(type(leaf)));
    expect(forwarded.body.toString('latin1')).toBe(CRLF_FORWARDED);
  });
});
