/**
 * Identifier rules shared by the assignment schema, the roster import and the page QR code.
 * They travel in QR payloads (`:`-separated) and MQTT topics, so no `:`, `/`, `+`, `#` or spaces.
 * assignment.schema.json repeats ASSIGNMENT_ID as its `id` pattern (JSON cannot import it).
 */
export const ASSIGNMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const STUDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
