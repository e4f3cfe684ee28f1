import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { Low } from 'lowdb';
import type { Logger } from '../log/logger.js';
import { createAjv } from './ajv.js';
import { problemsFromAjv } from './ajv-problems.js';
import { AtomicJsonFile, ensureOwnerOnly } from './atomic-json-file.js';
import { SettingsError } from './errors.js';
import { parseJsonText } from './json-text.js';
import type { SchemaNode } from './schema-node.js';

export const SECRETS_FILE_NAME = 'secrets.json';

/** Generated on first start and kept in `<dataDir>/secrets.json` (0600), apart from the settings IT edits. */
export interface Secrets {
  /** bcrypt hash of the web admin password; the plaintext is never stored. */
  adminPasswordHash: string;
  /** Node-RED's credentialSecret: changing it would make Node-RED's stored credentials unreadable. */
  nodeRedCredentialSecret: string;
  /** Password of the gateway's own clients on its local bus. */
  internalBusPassword: string;
}

export interface LoadedSecrets {
  secrets: Secrets;
  file: string;
  /**
   * The admin password in plain text, only when this call generated it (first start, or after
   * IT deleted adminPasswordHash to reset it): show it once, e.g. in the start-up banner. Never log it.
   */
  generatedAdminPassword: string | null;
}

// bcryptjs's default cost: it is pure JavaScript on a small ARM board, and every web login pays it.
const BCRYPT_ROUNDS = 10;
// No 0/O, 1/l/I: the password is read off a screen and typed in.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

const secretsSchema: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    adminPasswordHash: {
      type: 'string',
      pattern: '^\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
      'x-allowed': 'a bcrypt hash: $2b$, two digits, $, then 53 characters (delete the line to get a new admin password)',
    },
    nodeRedCredentialSecret: { type: 'string', pattern: '^[0-9a-f]{64}$', 'x-allowed': '64 hexadecimal digits' },
    internalBusPassword: { type: 'string', minLength: 16 },
  },
};
const validateSecrets = createAjv().compile(secretsSchema);

const randomSecrets = {
  nodeRedCredentialSecret: () => randomBytes(32).toString('hex'),
  internalBusPassword: () => randomBytes(24).toString('base64url'),
};

/**
 * Reads `<dataDir>/secrets.json`, generating whatever is missing and saving it atomically.
 * Existing values are never replaced: an invalid one is a SettingsError for IT to fix.
 */
export async function loadSecrets(dataDir: string, logger: Logger): Promise<LoadedSecrets> {
  const file = join(dataDir, SECRETS_FILE_NAME);
  const adapter = new AtomicJsonFile<unknown>(file, (text) => (text.trim() === '' ? null : parseJsonText(text, file)));
  for (const stale of await adapter.removeStaleTemps()) logger.warn({ file: stale }, 'removed a temp file left by an interrupted secrets write');
  const db = new Low<unknown>(adapter, null);
  await db.read();
  const found = db.data ?? {};
  if (!validateSecrets(found)) {
    const problems = problemsFromAjv(validateSecrets.errors ?? [], found, secretsSchema);
    throw new SettingsError(`${file} has ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}:`, problems);
  }
  if (db.data !== null) await ensureOwnerOnly(file, logger);

  const secrets = found as Partial<Secrets>;
  const generated: (keyof Secrets)[] = [];
  let generatedAdminPassword: string | null = null;
  if (secrets.adminPasswordHash === undefined) {
    generatedAdminPassword = generatePassword();
    secrets.adminPasswordHash = await bcrypt.hash(generatedAdminPassword, BCRYPT_ROUNDS);
    generated.push('adminPasswordHash');
  }
  for (const key of Object.keys(randomSecrets) as (keyof typeof randomSecrets)[]) {
    if (secrets[key] !== undefined) continue;
    secrets[key] = randomSecrets[key]();
    generated.push(key);
  }
  if (generated.length > 0) {
    db.data = secrets;
    await db.write();
    logger.info({ file, generated }, 'generated secrets');
  }
  return { secrets: secrets as Secrets, file, generatedAdminPassword };
}

/** 16 characters from a 32-letter alphabet (80 bits), grouped for reading: abcd-efgh-jkmn-pqrs. */
function generatePassword(): string {
  const chars = Array.from({ length: 16 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]);
  return chars.join('').replace(/(.{4})(?!$)/g, '$1-');
}
