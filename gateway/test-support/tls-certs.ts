import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  dir: string;
  caFile: string;
  /** For 127.0.0.1 and localhost (subjectAltName), signed by the CA. */
  serverCertFile: string;
  serverKeyFile: string;
  /** Client certificate (clientAuth) signed by the same CA; CN = clientCommonName. */
  clientCertFile: string;
  clientKeyFile: string;
}

/**
 * A throwaway CA with a server and a client certificate, made with the openssl CLI in a temp
 * dir. EC P-256 keys: generating them takes milliseconds, RSA keys take seconds on a Pi.
 */
export async function makeTestCertificates(clientCommonName = 'test-client', dir?: string): Promise<TestCertificates> {
  const out = dir ?? (await mkdtemp(join(tmpdir(), 'tls-certs-')));
  const file = (name: string): string => join(out, name);
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Classroom gateway test CA', '-keyout', file('ca.key'), '-out', file('ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await leaf(out, 'server', '/CN=localhost', ['subjectAltName=IP:127.0.0.1,DNS:localhost', 'extendedKeyUsage=serverAuth']);
  await leaf(out, 'client', `/CN=${clientCommonName}`, ['extendedKeyUsage=clientAuth']);
  return {
    dir: out,
    caFile: file('ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
  };
}

async function leaf(dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
  const file = (suffix: string): string => join(dir, `${name}.${suffix}`);
  await writeFile(file('ext'), extensions.join('\n') + '\n');
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', subject, '-keyout', file('key'), '-out', file('csr')]);
  await openssl(['x509', '-req', '-in', file('csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-CAcreateserial', '-days', '2', '-extfile', file('ext'), '-out', file('crt')]);
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the openssl CLI is not installed (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}
