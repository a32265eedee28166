// The sparse kernel evaluation (over the record's non-zero components, |y|² precomputed) against
// the dense definition, on vectors mostly 0/1 as encoded categorical inputs are.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileKernel, sparse } from '../../../../lib/models/pmml/support-vector-machine/kernel.ts';
import { parsePmmlXml } from '../../../../lib/models/pmml/xml.ts';

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const vec = () => Float64Array.from({ length: 30 }, (_, i) => (i < 5 ? rnd() * 10 - 5 : rnd() < 0.2 ? 1 : 0));

for (const el of ['<LinearKernelType/>', '<PolynomialKernelType gamma="0.5" coef0="1" degree="3"/>', '<RadialBasisKernelType gamma="0.03"/>', '<SigmoidKernelType gamma="0.1" coef0="0.2"/>']) {
  test(`sparse ${el} equals the dense kernel within 1e-13`, () => {
    const k = compileKernel(parsePmmlXml(`<PMML><SupportVectorMachineModel>${el}</SupportVectorMachineModel></PMML>`).children[0]!);
    for (let r = 0; r < 200; r++) {
      const x = vec(), y = vec();
      const dense = k.kernel(x, y);
      const s = k.sparse(sparse(x, new Int32Array(x.length)), y, y.reduce((a, b) => a + b * b, 0));
      assert.ok(Math.abs(s - dense) <= 1e-13 * Math.max(1, Math.abs(dense)), `${s} vs ${dense}`);
    }
  });
}

test.run();
