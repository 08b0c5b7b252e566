/**
 * The protocol buffer messages of a TensorBoard event file, encoded with protobufjs. Field numbers
 * and types are those of TensorFlow's event.proto, summary.proto, tensor.proto, tensor_shape.proto
 * and TensorBoard's hparams plugin (plugin_data.proto, api.proto), and google.protobuf.Value, cut
 * to the fields ferc writes. The wire format carries numbers, not names, so two messages named
 * `Value` in those files can be `Summary.Value` and `ProtoValue` here.
 */
import protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto3";
package ferc.tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}

message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      Image image = 4;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
}

message ProtoValue {
  oneof kind {
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
  }
}

message SessionStartInfo {
  map<string, ProtoValue> hparams = 1;
  string group_name = 4;
  double start_time_secs = 5;
}

message SessionEndInfo {
  int32 status = 1;
  double end_time_secs = 2;
}

message HParamsPluginData {
  int32 version = 1;
  oneof data {
    SessionStartInfo session_start_info = 3;
    SessionEndInfo session_end_info = 4;
  }
}
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const type = (name: string): protobuf.Type => root.lookupType(`ferc.tensorboard.${name}`);
const EVENT = type("Event");
const PLUGIN_DATA = type("HParamsPluginData");

/** TensorFlow's DT_FLOAT. */
export const DT_FLOAT = 1;

export type HParamValue = string | number | boolean;

/** hparams SessionEndInfo status (tensorboard/plugins/hparams/api.proto `Status`). */
export const SESSION_STATUS = { unknown: 0, success: 1, failure: 2, running: 3 } as const;

export interface SummaryValue {
  readonly tag: string;
  readonly simple_value?: number;
  readonly image?: { readonly height: number; readonly width: number; readonly colorspace: number; readonly encoded_image_string: Uint8Array };
  readonly tensor?: { readonly dtype: number; readonly tensor_shape: { readonly dim: readonly { readonly size: number }[] } };
  readonly metadata?: { readonly plugin_data: { readonly plugin_name: string; readonly content: Uint8Array } };
}

export interface EventMessage {
  readonly wall_time: number;
  readonly step: number;
  readonly file_version?: string;
  readonly summary?: { readonly value: readonly SummaryValue[] };
}

function encode(t: protobuf.Type, message: object): Uint8Array {
  const problem = t.verify(message);
  if (problem) throw new Error(`internal: ${t.name} does not fit its schema: ${problem}`);
  return t.encode(t.fromObject(message as Record<string, unknown>)).finish();
}

export const encodeEvent = (e: EventMessage): Uint8Array => encode(EVENT, e);

const protoValue = (v: HParamValue): object => (typeof v === "number" ? { number_value: v } : typeof v === "boolean" ? { bool_value: v } : { string_value: v });

/** HParamsPluginData (version 0, as TensorBoard's hparams summary writes) with a session's start. */
export function sessionStartContent(hparams: Readonly<Record<string, HParamValue>>, startSecs: number, group = ""): Uint8Array {
  const map = Object.fromEntries(Object.entries(hparams).map(([k, v]) => [k, protoValue(v)]));
  return encode(PLUGIN_DATA, { version: 0, session_start_info: { hparams: map, group_name: group, start_time_secs: startSecs } });
}

/** HParamsPluginData with a session's end. */
export function sessionEndContent(status: keyof typeof SESSION_STATUS, endSecs: number): Uint8Array {
  return encode(PLUGIN_DATA, { version: 0, session_end_info: { status: SESSION_STATUS[status], end_time_secs: endSecs } });
}
