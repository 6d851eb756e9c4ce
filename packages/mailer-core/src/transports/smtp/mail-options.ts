import { hash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer';
import { bytesToCrlf, sentAsIs, toCrlf } from '../../line-endings';
import type { Address, Envelope } from '../../message';

/** nodemailer's message options, plus `baseBoundary`, which it honours but does not type. */
export type SmtpMailOptions = Mail.Options & { baseBoundary: string };

/**
 * The nodemailer message for an envelope. The Message-ID is the envelope's, so every provider tried
 * gets the same one, and the MIME boundaries derive from it, so the body bytes are the same too.
 */
export function mailOptions(envelope: Envelope): SmtpMailOptions {
  const options: SmtpMailOptions = {
    from: mailbox(envelope.from),
    to: envelope.to.map(mailbox),
    subject: envelope.subject,
    messageId: envelope.messageId,
    // A fresh object per send: the transport also uses it to find this send's stream again.
    headers: { ...envelope.headers },
    attachments: envelope.attachments.map((attachment) => {
      const part: NonNullable<Mail.Options['attachments']>[number] = {
        filename: attachment.filename,
        content: attachment.content,
        contentType: attachment.contentType,
        contentDisposition: attachment.cid !== undefined ? 'inline' : 'attachment',
      };
      // In base64 nothing of a file's own line endings reaches the wire. An attached message goes as it
      // is (nodemailer sends it 8bit, as RFC 2046 requires), so its lines must end in CRLF.
      if (sentAsIs(attachment.contentType)) part.content = bytesToCrlf(attachment.content);
      else part.contentTransferEncoding = 'base64';
      if (attachment.cid !== undefined) part.cid = attachment.cid;
      return part;
    }),
    baseBoundary: hash('sha256', envelope.messageId).slice(0, 24),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  // Empty lists are left out: nodemailer would still set a header for each and walk it on every build.
  if (envelope.cc.length > 0) options.cc = envelope.cc.map(mailbox);
  if (envelope.bcc.length > 0) options.bcc = envelope.bcc.map(mailbox);
  if (envelope.replyTo) options.replyTo = mailbox(envelope.replyTo);
  // prepareMessage already did this; a transport used on its own must not put a bare CR or LF on the wire.
  if (envelope.text !== undefined) options.text = toCrlf(envelope.text);
  if (envelope.html !== undefined) options.html = toCrlf(envelope.html);
  return options;
}

function mailbox(address: Address): Mail.Address {
  return { name: address.name ?? '', address: address.address };
}
