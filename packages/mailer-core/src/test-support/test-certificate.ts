import { generate } from 'selfsigned';

/** A PEM key and certificate pair for a loopback test server. */
export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * Generates a fresh self-signed certificate for `localhost` and `127.0.0.1` (no CA behind it), so a
 * client trusts it only when told to, e.g. through a provider's `tls.ca`. Nothing is read from or
 * written to disk.
 *
 * @example
 * const certificate = await createTestCertificate();
 * const server = await startSmtpTestServer({ security: 'starttls', certificate });
 * const provider = { ...config, tls: { ca: certificate.cert } };
 */
export async function createTestCertificate(): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    // EC keys take milliseconds to generate where RSA takes much longer.
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
