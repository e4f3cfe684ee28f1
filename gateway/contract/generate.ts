import { compile } from 'json-schema-to-typescript';
import { messages, type MessageSpec } from './topics.js';
import { operations } from './operations.js';
import { loadSchemaFiles, type SchemaFile } from './validator.js';

const URN = /^urn:classroom-gateway:([a-z0-9-]+):(\d+)$/;

function titleOf(files: SchemaFile[], ref: string): string {
  const [, stem, major] = URN.exec(ref) ?? [];
  const target = files.find((f) => f.name === `${stem}/${major}`);
  if (!target || typeof target.json.title !== 'string') throw new Error(`unresolved $ref ${ref}`);
  return target.json.title;
}

/** Cross-file refs become `tsType` names, so each schema compiles on its own and types are declared once. */
function inlineRefs(node: unknown, files: SchemaFile[]): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, files));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string' && URN.test(record.$ref)) return { tsType: titleOf(files, record.$ref) };
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, inlineRefs(v, files)]));
}

export async function renderTypes(files = loadSchemaFiles()): Promise<string> {
  const parts: string[] = [
    '/* Generated from gateway/contract/schemas by `npm run contract:generate`; do not edit. */',
    '/* eslint-disable */',
  ];
  for (const f of files) {
    const { $id: _id, ...schema } = inlineRefs(f.json, files) as Record<string, unknown>;
    const ts = await compile(schema, String(f.json.title), {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: false,
      unknownAny: true,
      strictIndexSignatures: true,
      format: true,
    });
    parts.push(`// ${f.file}\n${ts.trim()}`);
  }
  return parts.join('\n\n') + '\n';
}

function messageRow(name: string, spec: MessageSpec): string {
  const delivery = spec.direction === 'in' ? 'to the gateway' : spec.direction === 'local' ? 'local bus only' : spec.enveloped ? `outbox, ${spec.priority}` : 'direct';
  return `| \`${spec.topic}\` | ${spec.direction} | [\`${spec.schema}\`](schemas/${spec.schema.replace('/', '.v')}.json) | ${delivery} | ${spec.retain ? 'yes' : 'no'} | ${spec.summary} (\`${name}\`) |`;
}

function schemaSection(f: SchemaFile): string {
  const props = (f.json.properties ?? {}) as Record<string, { description?: string; type?: unknown; enum?: unknown[]; const?: unknown }>;
  const required = new Set((f.json.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(([key, p]) => {
    const type = p.enum ? p.enum.map((v) => JSON.stringify(v)).join(' \\| ') : p.const !== undefined ? JSON.stringify(p.const) : Array.isArray(p.type) ? p.type.join(' \\| ') : String(p.type ?? 'object');
    return `| \`${key}\` | ${type} | ${required.has(key) ? 'yes' : ''} | ${p.description ?? ''} |`;
  });
  return [`### \`${f.name}\` — ${String(f.json.title)}`, '', String(f.json.description ?? ''), '', '| field | type | required | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderDoc(files = loadSchemaFiles()): string {
  return [
    '# Message contract for the district',
    '',
    '<!-- Generated from gateway/contract by `npm run contract:generate`; do not edit by hand. -->',
    '',
    'Every topic is below `<prefix>/<school>/<classroom>/<gateway>/` (settings `topicPrefix`, `school.id`, `classroom.id`, `gateway.id`; default prefix `classroom`). Payloads are UTF-8 JSON. Each schema has a major version in its name (`health/1`); a breaking change gets a new major version, published side by side with the old one for a transition period, and a message always names its schema.',
    '',
    '## Delivery',
    '',
    '- Outgoing messages marked *outbox* are written to a durable outbox on the gateway (fsync\'d) before anything else happens, sent with QoS 1 in the order they were made, and removed only after the district broker\'s PUBACK. After an outage or a power cut they are replayed in order. Delivery is **at least once**: drop duplicates by `id`; a gap in `seq` (per topic) means a message is missing — only expired telemetry can cause one.',
    '- The outbox is bounded. When it passes 80 % of `outbox.maxMegabytes`, an `outbox-high` alarm is raised and new telemetry is refused; at 100 % events are refused too; results are still taken into a reserve and are never dropped silently. Telemetry older than `outbox.telemetryMaxAgeHours` is dropped when it would be sent. Details: `gateway/uplink/outbox/README.md`.',
    '- Everything the gateway sends to the district also appears on the classroom\'s local bus under the same topic.',
    '- Availability uses the MQTT Last Will: the broker publishes the retained `offline` when the gateway vanishes.',
    '',
    '## Topics',
    '',
    '| topic | direction | schema | delivery | retained | meaning |',
    '|---|---|---|---|---|---|',
    ...Object.entries(messages).map(([name, spec]) => messageRow(name, spec)),
    '',
    '## Envelope',
    '',
    'Messages delivered through the outbox look like `{"schema":"health/1","id":"…","seq":42,"ts":"…","data":{…}}`; `data` follows the named schema.',
    '',
    '## Requests',
    '',
    'Publish `{"transaction": "abc", "data": {…}}` to `request/<op>`; the answer arrives on `response/<op>` as `{"status":"ok"|"error","transaction":"abc","data":…,"error":{"code","message"}}`. Unknown operations answer `unknown-op`, malformed payloads `malformed`.',
    '',
    '| op | arguments (`data`) | what it does |',
    '|---|---|---|',
    ...Object.entries(operations).map(([op, o]) => `| \`${op}\` | ${o.args} | ${o.summary} |`),
    '',
    '## Schemas',
    '',
    ...files.flatMap((f) => [schemaSection(f), '']),
  ].join('\n');
}
