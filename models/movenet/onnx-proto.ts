import protobuf from 'protobufjs';
import type { OnnxAttribute, OnnxGraph, OnnxValueInfo } from './onnx-graph.js';

/**
 * The subset of onnx.proto3 this converter writes (same field numbers as upstream).
 * Derived from https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3
 * Copyright (c) ONNX Project Contributors, SPDX-License-Identifier: Apache-2.0
 */
const ONNX_SUBSET_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; FLOATS = 6; INTS = 7; }
  string name = 1;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  repeated int64 ints = 8;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message StringStringEntryProto { string key = 1; string value = 2; }
message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

/** IR version 7 is the one introduced together with opset 13. */
const IR_VERSION = 7;

export interface ModelInfo {
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export function encodeOnnxModel(graph: OnnxGraph, info: ModelInfo): Uint8Array {
  const ModelProto = protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  const message = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: info.opset }],
    producer_name: info.producerName,
    producer_version: info.producerVersion,
    doc_string: info.docString,
    metadata_props: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => ({
        input: n.inputs,
        output: n.outputs,
        name: n.name,
        op_type: n.opType,
        attribute: Object.entries(n.attributes).map(([name, a]) => attribute(name, a)),
      })),
      initializer: graph.initializers.map((t) => ({ dims: t.dims, data_type: t.type, name: t.name, raw_data: t.raw })),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  const error = ModelProto.verify(message);
  if (error) throw new Error(`ONNX model does not fit the schema: ${error}`);
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

function attribute(name: string, a: OnnxAttribute): Record<string, unknown> {
  switch (a.kind) {
    case 'int':
      return { name, type: 2, i: a.value };
    case 'ints':
      return { name, type: 7, ints: a.value };
    case 'float':
      return { name, type: 1, f: a.value };
    case 'string':
      return { name, type: 3, s: new TextEncoder().encode(a.value) };
  }
}

function valueInfo(v: OnnxValueInfo): Record<string, unknown> {
  const shape = v.dims === undefined ? undefined : { dim: v.dims.map((d) => ({ dim_value: d })) };
  return { name: v.name, type: { tensor_type: { elem_type: v.type, shape } } };
}
