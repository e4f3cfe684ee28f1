/**
 * Turns what net, tls and mqtt.js report into one line an IT person can act on: the raw
 * messages ("getaddrinfo ENOTFOUND x", "Connection refused: Not authorized") do not say
 * which setting to check.
 */

/** CONNACK codes meaning "this broker does not speak that MQTT version": v5's 0x84, and 3.1.1's 1 when an old broker answers a v5 CONNECT in its own format. */
const UNSUPPORTED_PROTOCOL = new Set([1, 132]);

const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface ErrorLike {
  message?: string;
  code?: unknown;
  path?: string;
}

function reasonCode(err: unknown): number | null {
  const code = (err as ErrorLike | null)?.code;
  return typeof code === 'number' ? code : null;
}

export function isUnsupportedProtocol(err: unknown): boolean {
  const code = reasonCode(err);
  return code !== null && UNSUPPORTED_PROTOCOL.has(code);
}

/** `where` is host:port (never the full URL, which may carry a password). */
export function describeConnectionError(err: unknown, where: string): string {
  const e = (err ?? {}) as ErrorLike;
  const message = e.message ?? String(err);
  const code = e.code;
  if (typeof code === 'number') return describeReasonCode(code, message, where);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed for the broker ${where} (${code}): check the uplink URL's host name and the network's DNS`;
    case 'ECONNREFUSED':
      return `connection refused by ${where}: no broker is listening there (is it running, is the port right?)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `broker ${where} unreachable (${code}): check the network, routes and firewall`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection to ${where} was reset (${code}): broker restarted, link dropped, or TLS/port mismatch`;
  }
  if (typeof code === 'string' && TLS_VERIFY_CODES.has(code)) {
    return `TLS verify failed for ${where} (${code}: ${message}): the broker certificate does not match the configured CA or host name`;
  }
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
    return `TLS handshake with ${where} failed (${code}): the broker requires a client certificate (uplink TLS cert and key files)`;
  }
  if (typeof code === 'string' && code.startsWith('ERR_SSL_')) {
    // OpenSSL's own message is a stack of internal names; the code says it all.
    return `TLS handshake with ${where} failed (${code}): check the client certificate and key and the broker's TLS settings`;
  }
  if (typeof code === 'string' && e.path !== undefined) {
    return `cannot read ${e.path} (${code}) for the connection to ${where}`;
  }
  if (message === 'Keepalive timeout') {
    return `broker ${where} stopped answering (Keepalive timeout): the link or the broker hangs`;
  }
  if (message === 'connack timeout') {
    return `broker ${where} did not answer CONNECT in time (connack timeout): wrong port, a proxy, or an overloaded broker`;
  }
  return `${where}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`;
}

function describeReasonCode(code: number, message: string, where: string): string {
  switch (code) {
    case 4:
    case 134:
      return `not authorised by ${where}: bad user name or password (${message})`;
    case 5:
    case 135:
      return `not authorised by ${where} (${message}): check the uplink credentials or certificate and the broker's ACL`;
    case 2:
    case 133:
      return `broker ${where} rejected the client id (${message})`;
    case 1:
    case 132:
      return `broker ${where} does not support this MQTT version (${message})`;
    case 138:
      return `broker ${where} has banned this client (${message})`;
  }
  return `broker ${where} refused: ${message} (reason code ${code})`;
}
