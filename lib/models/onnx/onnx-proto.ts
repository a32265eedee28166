// The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that a dense network needs,
// as a protobufjs JSON descriptor: ModelProto, GraphProto, NodeProto, TensorProto and the
// ValueInfo types. Field numbers are ONNX's; every other field of the real schema is left out
// (protobufjs skips unknown fields when decoding, so real models still decode).
import protobuf from 'protobufjs';

const int64 = (id: number) => ({ type: 'int64', id });
const string = (id: number) => ({ type: 'string', id });

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: int64(1), producer_name: string(2), producer_version: string(3), domain: string(4),
            model_version: int64(5), doc_string: string(6), graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: string(1), version: int64(2) } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 }, name: string(2),
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 }, doc_string: string(10),
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 }, output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 },
            name: string(3), op_type: string(4), domain: string(7),
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 }, data_type: { type: 'int32', id: 2 },
            name: string(8), raw_data: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: string(1), type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { oneofs: { value: { oneof: ['tensor_type'] } }, fields: { tensor_type: { type: 'TypeProtoTensor', id: 1 } } },
        // TypeProto.Tensor in the real schema: a nested message; the wire format is the same.
        TypeProtoTensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: {
          oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
          fields: { dim_value: int64(1), dim_param: string(2) },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
root.resolveAll();

export const modelProtoType = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType.FLOAT. */
export const ONNX_FLOAT = 1;
