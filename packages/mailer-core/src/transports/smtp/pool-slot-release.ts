import PoolResource from 'nodemailer/lib/smtp-pool/pool-resource';
import { SmtpConnectError } from './smtp-socket';

let installed = false;

/**
 * nodemailer's pool (8.x) keeps a session slot for every connection it starts, and frees it when the
 * session reports an error or closes. A failure reported by `getSocket` (ours: connection refused, timed
 * out, refused by the outbound policy) comes before any session exists, so nothing frees its slot: after
 * `maxConnections` such failures the pool has no slot left and every later message waits forever. This
 * makes a pool session whose socket could not be opened report the failure as a session error, which is
 * what frees the slot (and fails the message once, with that error).
 *
 * Only failures of our own socket opener are touched; other users of nodemailer in the same process keep its
 * stock behaviour.
 */
export function installConnectFailureRelease(): void {
  if (installed) return;
  installed = true;
  const stock = PoolResource.prototype.connect;
  PoolResource.prototype.connect = function connectReleasingSlot(this: PoolResource, callback): void {
    stock.call(this, (error, established) => {
      if (error instanceof SmtpConnectError) this.emit('error', error);
      callback(error, established);
    });
  };
}
