import type { TfNode } from './tfjs-model.js';

/** Typed reads of TF node attributes; a missing or mistyped attribute names the node. */

export function attrString(node: TfNode, key: string): string {
  const s = node.attr?.[key]?.s;
  if (s === undefined) throw new Error(`node "${node.name}" (${node.op}): missing string attribute ${key}`);
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrInts(node: TfNode, key: string, fallback?: readonly number[]): number[] {
  const list = node.attr?.[key]?.list?.i;
  if (list === undefined) {
    if (fallback) return [...fallback];
    throw new Error(`node "${node.name}" (${node.op}): missing int list attribute ${key}`);
  }
  return list.map(Number);
}

export function attrInt(node: TfNode, key: string): number {
  const i = node.attr?.[key]?.i;
  if (i === undefined) throw new Error(`node "${node.name}" (${node.op}): missing int attribute ${key}`);
  return Number(i);
}

export function attrBool(node: TfNode, key: string): boolean {
  return node.attr?.[key]?.b ?? false;
}

/** A dtype attribute such as `DstT` or `T`, e.g. "DT_FLOAT". */
export function attrType(node: TfNode, key: string): string {
  const type = node.attr?.[key]?.type;
  if (type === undefined) throw new Error(`node "${node.name}" (${node.op}): missing type attribute ${key}`);
  return type;
}
