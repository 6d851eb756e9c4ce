import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { attachmentsOf, topHeaders } from './mime';

describe('test MIME reader', () => {
  it('gets back the exact attachment bytes and headers nodemailer wrote', async () => {
    const pdf = randomBytes(3000);
    const png = randomBytes(700);
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'Çay',
      text: 'text body',
      html: '<img src="cid:logo@x">',
      messageId: '<id-1@example.com>',
      attachments: [
        { filename: 'report.pdf', content: pdf },
        { filename: 'logo.png', content: png, cid: 'logo@x' },
        { filename: 'notes.txt', content: 'çay ve simit', contentType: 'text/plain' },
      ],
    });
    const raw = info.message;
    if (!Buffer.isBuffer(raw)) throw new Error('expected a buffer');
    expect(topHeaders(raw)['message-id']).toBe('<id-1@example.com>');
    const files = attachmentsOf(raw);
    expect([...files.keys()].sort()).toEqual(['logo.png', 'notes.txt', 'report.pdf']);
    expect(files.get('report.pdf')?.body.equals(pdf)).toBe(true);
    expect(files.get('logo.png')?.body.equals(png)).toBe(true);
    expect(files.get('logo.png')?.headers['content-id']).toBe('<logo@x>');
    expect(files.get('notes.txt')?.body.toString('utf8')).toBe('çay ve simit');
  });
});
