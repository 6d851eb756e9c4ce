import type { Socket } from 'node:net';

type WriteCallback = (error?: Error | null) => void;

/**
 * Makes the writes a connected socket gets during one turn of the event loop leave together. nodemailer
 * writes a message's body in pieces and its end separately; with Nagle off (needed, or each message waits
 * on the peer's delayed ACK) every write would be a system call and a packet of its own. The first write of
 * a turn corks the socket and the turn's end uncorks it, so nothing waits longer than that turn. Once a
 * session is in TLS (STARTTLS or implicit), its writes go to the TLS layer below this socket's `write` and
 * are not coalesced.
 */
export function coalesceWrites(socket: Socket): void {
  const plainWrite = socket.write;
  let corkedThisTurn = false;
  const uncorkAtTurnEnd = (): void => {
    corkedThisTurn = false;
    socket.uncork();
  };
  const coalescedWrite: Socket['write'] = (
    chunk: Uint8Array | string,
    encodingOrCallback?: BufferEncoding | WriteCallback,
    callback?: WriteCallback,
  ): boolean => {
    if (!corkedThisTurn) {
      corkedThisTurn = true;
      socket.cork();
      setImmediate(uncorkAtTurnEnd);
    }
    if (typeof encodingOrCallback === 'function')
      return plainWrite.call(socket, chunk, undefined, encodingOrCallback);
    return plainWrite.call(socket, chunk, encodingOrCallback, callback);
  };
  socket.write = coalescedWrite;
}
