/** Protocol versions before 2.12 send events without an event counter (0x63/0x64/0x65/0x68). */
export function isOldProtocol(protocol: string): boolean {
  const [major = 0, minor = 0] = protocol.split('.').map((n) => parseInt(n, 10) || 0);
  return major < 2 || (major === 2 && minor < 12);
}
