import { generate } from 'selfsigned';

/** A PEM certificate and its private key. */
export interface Pem {
  cert: string;
  key: string;
}

/** A test CA, a server certificate it signed for 127.0.0.1 / localhost, and a client certificate. */
export interface TestCertificates {
  ca: Pem;
  server: Pem;
  /** For mutual TLS; its key is encrypted with `clientPassphrase`. */
  client: Pem;
  clientPassphrase: string;
}

const ALGORITHM = { keyType: 'ec', algorithm: 'sha256' } as const;

/** Makes a fresh CA and the certificates it signs (EC keys: quick to make), at test time. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const ca = await generate([{ name: 'commonName', value: 'nestjs-sms test CA' }], {
    ...ALGORITHM,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const signer = { ca: { key: ca.private, cert: ca.cert } };
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...ALGORITHM,
    ...signer,
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
  const clientPassphrase = 'client-key-passphrase';
  const client = await generate([{ name: 'commonName', value: 'nestjs-sms client' }], {
    ...ALGORITHM,
    ...signer,
    passphrase: clientPassphrase,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return {
    ca: { cert: ca.cert, key: ca.private },
    server: { cert: server.cert, key: server.private },
    client: { cert: client.cert, key: client.private },
    clientPassphrase,
  };
}
