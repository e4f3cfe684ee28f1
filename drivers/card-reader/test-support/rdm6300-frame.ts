/** An RDM6300 frame for `uid` (10 hex digits), as the module sends it: tests write these into a port. */
export function rdm6300Frame(uid: string, options: { checksum?: number; trailer?: string } = {}): Buffer {
  const bytes = Buffer.from(uid, 'hex');
  const checksum = options.checksum ?? bytes.reduce((xor, b) => xor ^ b, 0);
  return Buffer.concat([Buffer.from([0x02]), Buffer.from(uid + checksum.toString(16).padStart(2, '0').toUpperCase() + (options.trailer ?? ''), 'latin1'), Buffer.from([0x03])]);
}
