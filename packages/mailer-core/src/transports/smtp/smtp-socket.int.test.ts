import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PRIVATE_NETWORKS_ALLOWED } from '../../outbound/outbound-policy';
import { connectSmtpSocket, type SmtpConnectError } from './smtp-socket';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('connectSmtpSocket', () => {
  let server: Server;
  let received = '';
  let peer: Socket | undefined;
  let client: Socket;
  let port = 0;

  const receivedAtLeast = async (length: number) => {
    while (received.length < length) await new Promise((resolve) => setTimeout(resolve, 2));
  };

  beforeEach(async () => {
    received = '';
    server = createServer((socket) => {
      peer = socket;
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = await new Promise<Socket>((resolve, reject) =>
      connectSmtpSocket(
        {
          host: '127.0.0.1',
          port,
          implicitTls: false,
          tls: {},
          connectMs: 1_000,
          policy: PRIVATE_NETWORKS_ALLOWED,
        },
        (error: SmtpConnectError | null, socket?: Socket) => {
          if (socket) resolve(socket);
          else reject(error ?? new Error('no socket'));
        },
      ),
    );
  });

  afterEach(async () => {
    client.destroy();
    peer?.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('hands over a socket that is already connected', () => {
    expect(client.connecting).toBe(false);
    expect(client.remotePort).toBe(port);
  });

  it('holds the writes of one turn together and sends them when the turn ends', async () => {
    client.write('MAIL FROM:<a@example.com>\r\n');
    client.write(Buffer.from('body line\r\n'));
    client.write('.\r\n', 'utf8');
    expect(client.writableCorked).toBe(1);
    await nextTurn();
    expect(client.writableCorked).toBe(0);
    await receivedAtLeast(41);
    expect(received).toBe('MAIL FROM:<a@example.com>\r\nbody line\r\n.\r\n');
  });

  it('sends a lone write in its own turn without waiting for another', async () => {
    await nextTurn();
    client.write('QUIT\r\n');
    await receivedAtLeast(6);
    expect(received).toBe('QUIT\r\n');
    expect(client.writableCorked).toBe(0);
  });

  it('calls every write callback, with or without an encoding', async () => {
    const done: string[] = [];
    client.write('a', () => done.push('a'));
    client.write('b', 'utf8', () => done.push('b'));
    await receivedAtLeast(2);
    while (done.length < 2) await nextTurn();
    expect(done).toEqual(['a', 'b']);
  });
});
