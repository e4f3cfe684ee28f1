/**
 * The Envelope's JSON, built by concatenation: the data is stringified once at enqueue (so a
 * non-serialisable value fails there, in the producer's hands) while seq, id and ts are only
 * known when the record is written. Key order follows the Envelope interface.
 */
export function envelopeJson(schemaJson: string, id: string, seq: number, ts: string, dataJson: string): string {
  return `{"schema":${schemaJson},"id":"${id}","seq":${seq},"ts":"${ts}","data":${dataJson}}`;
}

/** Bytes of the envelope apart from schema and data: keys, a UUID, a 16-digit seq, a 24-char ISO time. */
const FIXED_BYTES = Buffer.byteLength(envelopeJson('', '0'.repeat(36), 2 ** 53, '0'.repeat(24), ''));

/** Upper bound of the envelope's size, for capacity checks before seq and ts are assigned. */
export function envelopeBytesAtMost(schemaJson: string, dataJson: string): number {
  return FIXED_BYTES + Buffer.byteLength(schemaJson) + Buffer.byteLength(dataJson);
}
