// Makes data/models/wine-onnx.onnx, the demo's ONNX model: the weights of data/models/wine-tf.pb
// (made by data/make-tensorflow.ts) written as an ONNX ModelProto, so that both runtimes score
// the same network. Deterministic: the same .pb gives the same bytes. No Python involved.
//
//   node --import tsx data/make-onnx.ts
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { denseOnnxFromGraphDef } from '../lib/models/onnx/from-graphdef.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const bytes = denseOnnxFromGraphDef(readFileSync(here('./models/wine-tf.pb')), { inputName: 'dense_1_input', outputName: 'dense_3/Sigmoid' });
writeFileSync(here('./models/wine-onnx.onnx'), bytes);
const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
console.log(`wrote data/models/wine-onnx.onnx: ${bytes.length} bytes, sha256 ${sha}…`);
