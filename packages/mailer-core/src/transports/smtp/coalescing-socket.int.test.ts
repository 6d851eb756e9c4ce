import { Socket, createServer, type AddressInfo, type Server } from 'node:net';
import type { ProviderConfig } from '../../provider';
import { connectCoalescing } from './coalescing-socket';
import { smtpPoolOptions } from './smtp-options';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('connectCoalescing', () => {
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
    client = connectCoalescing('127.0.0.1', port);
    await new Promise<void>((resolve) => client.once('connect', resolve));
  });

  afterEach(async () => {
    client.destroy();
    peer?.destroy();
    await new Promise((resolve) => server.close(resolve));
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

  it('is the socket the SMTP transport sends on', async () => {
    const provider: ProviderConfig = {
      id: 'relay',
      name: 'local relay',
      type: 'smtp',
      host: '127.0.0.1',
      port,
      username: '',
      password: 'not-used-here',
      encryption: 'none',
      fromEmail: 'mailer@example.com',
      fromName: 'Mailer',
      serviceType: 'primary',
      status: 'active',
      priority: 1,
    };
    const poolOptions = smtpPoolOptions(provider, { connectMs: 1000, greetingMs: 1000, socketMs: 1000 });
    const socket = await new Promise<Socket>((resolve, reject) =>
      poolOptions.getSocket?.(poolOptions, (error, socketOptions) => {
        const connection = socketOptions?.connection;
        if (connection instanceof Socket) resolve(connection);
        else reject(error ?? new Error('getSocket gave no socket'));
      }),
    );
    try {
      socket.write('EHLO a\r\n');
      socket.write('QUIT\r\n');
      expect(socket.writableCorked).toBe(1);
    } finally {
      socket.destroy();
    }
  });
});
