// Which TensorFlow.js backend runs our models. `@tensorflow/tfjs-node` (native libtensorflow)
// is used when it is installed, and never required: it cannot be installed on machines without
// network access to Google's storage (its install downloads libtensorflow). Otherwise tfjs's
// pure-JS CPU backend runs everything.
import * as tf from '@tensorflow/tfjs';

export interface TensorFlowBackend {
  /** The tfjs backend name: 'tensorflow' (tfjs-node) or 'cpu'. */
  readonly name: string;
  /** True when the native TensorFlow library does the work. */
  readonly native: boolean;
}

let ready: Promise<TensorFlowBackend> | undefined;

/**
 * Selects the backend once per process and reports it. `MODELSTREAM_TF_BACKEND=cpu` forces the
 * CPU backend even when tfjs-node is installed.
 */
export function tensorflowBackend(): Promise<TensorFlowBackend> {
  ready ??= select();
  return ready;
}

async function select(): Promise<TensorFlowBackend> {
  // Production mode drops tfjs's debug checks and its "install tfjs-node" console banner.
  tf.enableProdMode();
  if (process.env.MODELSTREAM_TF_BACKEND !== 'cpu' && (await tryNative())) {
    return { name: tf.getBackend(), native: true };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the TensorFlow.js CPU backend could not start');
  await tf.ready();
  return { name: tf.getBackend(), native: false };
}

async function tryNative(): Promise<boolean> {
  // A variable specifier: the package is optional, so it must not be resolved at type-check time.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch {
    return false;
  }
  // tfjs-node registers the 'tensorflow' backend with the tfjs it shares with us (same version).
  return tf.findBackendFactory('tensorflow') !== null && (await tf.setBackend('tensorflow'));
}
