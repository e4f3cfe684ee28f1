import { describe, expect, it } from 'vitest';
import { describeConnectionError, isUnsupportedProtocol } from './errors.js';

const where = 'broker.example:8883';
const err = (message: string, code?: string | number, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });

describe('describeConnectionError', () => {
  it.each([
    [err('getaddrinfo ENOTFOUND broker.example', 'ENOTFOUND'), /^DNS lookup failed for the broker broker\.example:8883/],
    [err('connect ECONNREFUSED', 'ECONNREFUSED'), /^connection refused by broker\.example:8883/],
    [err('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), /^TLS verify failed for broker\.example:8883 \(DEPTH_ZERO_SELF_SIGNED_CERT/],
    [err("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), /^TLS verify failed .*host name/],
    [err('Connection refused: Not authorized', 5), /^not authorised by broker\.example:8883/],
    [err('Connection refused: Not authorized', 135), /^not authorised by broker\.example:8883/],
    [err('Connection refused: Bad User Name or Password', 134), /bad user name or password/],
    [err('ENOENT: no such file', 'ENOENT', { path: '/etc/gw/ca.pem' }), /^cannot read \/etc\/gw\/ca\.pem \(ENOENT\)/],
    [err('connack timeout'), /did not answer CONNECT in time/],
  ])('%s', (error, expected) => {
    expect(describeConnectionError(error, where)).toMatch(expected);
  });
});

describe('isUnsupportedProtocol', () => {
  it('recognises both answers a broker gives to a CONNECT version it does not speak', () => {
    expect(isUnsupportedProtocol(err('Connection refused: Unsupported Protocol Version', 132))).toBe(true);
    expect(isUnsupportedProtocol(err('Connection refused: Unacceptable protocol version', 1))).toBe(true);
    expect(isUnsupportedProtocol(err('Connection refused: Not authorized', 135))).toBe(false);
    expect(isUnsupportedProtocol(err('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe(false);
  });
});
