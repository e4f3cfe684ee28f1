import schemaJson from './settings.schema.json' with { type: 'json' };

/** The parts of a JSON Schema node this module reads. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
  items?: SchemaNode;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
  'x-allowed'?: string;
  'x-restart-required'?: boolean;
}

export const settingsSchema: SchemaNode = schemaJson;

/** The node with a local `$ref` (`#/definitions/x`) expanded; its own keys win, as in Ajv. */
export function resolveRef(node: SchemaNode, root: SchemaNode = settingsSchema): SchemaNode {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name];
  if (target === undefined) throw new Error(`settings schema: unresolved $ref ${node.$ref}`);
  const { $ref: _, ...own } = node;
  return { ...resolveRef(target, root), ...own };
}

/** "What may go here", in words: used in error messages and in describeSettings(). */
export function allowedText(raw: SchemaNode, root: SchemaNode = settingsSchema): string {
  const node = resolveRef(raw, root);
  if (node['x-allowed'] !== undefined) return node.pattern === undefined ? node['x-allowed'] : `${node['x-allowed']} (pattern ${node.pattern})`;
  if (node.const !== undefined) return `only ${JSON.stringify(node.const)}`;
  if (node.enum !== undefined) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  return types.map((t) => typeText(t, node)).join(' or ') || 'any value';
}

function typeText(type: string, node: SchemaNode): string {
  switch (type) {
    case 'integer':
      return `a whole number${rangeText(node)}`;
    case 'number':
      return `a number${rangeText(node)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      if (node.pattern !== undefined) return `text matching the pattern ${node.pattern}`;
      if (node.maxLength !== undefined) return `text of at most ${node.maxLength} characters`;
      return node.minLength !== undefined && node.minLength > 0 ? 'non-empty text' : 'text';
    case 'array':
      return 'a list [ ... ]';
    case 'object':
      return 'an object { ... }';
    default:
      return type;
  }
}

function rangeText({ minimum, maximum }: SchemaNode): string {
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  if (maximum !== undefined) return ` of at most ${maximum}`;
  return '';
}
