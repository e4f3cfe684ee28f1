import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { projectRoot } from '../util/project-root.js';

// ajv-formats is CommonJS with a default export that NodeNext sees as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SCHEMA_DIR = join(projectRoot(), 'gateway', 'contract', 'schemas');

export interface SchemaFile {
  file: string;
  /** e.g. `health/1` */
  name: string;
  json: Record<string, unknown>;
}

/** Schema files are named `<name>.v<major>.json`; the contract refers to them as `<name>/<major>`. */
export function loadSchemaFiles(dir = SCHEMA_DIR): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => /^[a-z][a-z0-9-]*\.v\d+\.json$/.test(f))
    .sort()
    .map((file) => {
      const [, stem, major] = /^(.+)\.v(\d+)\.json$/.exec(file) ?? [];
      return { file, name: `${stem}/${major}`, json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown> };
    });
}

export class ContractViolation extends Error {
  constructor(
    readonly schema: string,
    readonly problems: string[],
  ) {
    super(`payload does not match ${schema}: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  return `${where} ${error.message ?? 'is invalid'}${error.params && 'allowedValues' in error.params ? ` (${JSON.stringify(error.params.allowedValues)})` : ''}`;
}

/** Validates payloads against the contract's schemas (compiled once, on first use). */
export class ContractValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(files: SchemaFile[] = loadSchemaFiles()) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const f of files) ajv.addSchema(f.json);
    for (const f of files) {
      const id = f.json.$id;
      if (typeof id !== 'string') throw new Error(`${f.file} has no $id`);
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`${f.file} did not compile`);
      this.validators.set(f.name, validate);
    }
  }

  has(schema: string): boolean {
    return this.validators.has(schema);
  }

  problems(schema: string, value: unknown): string[] {
    const validate = this.validators.get(schema);
    if (!validate) return [`unknown schema ${schema}`];
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  }

  assert(schema: string, value: unknown): void {
    const problems = this.problems(schema, value);
    if (problems.length > 0) throw new ContractViolation(schema, problems);
  }
}
