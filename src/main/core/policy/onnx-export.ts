import { createHash } from 'node:crypto';
import { onnx } from 'onnx-proto';
import type { FeatureSpec, PolicyModelMetadata } from '../../../shared/domain/policy';
import type { Mlp } from './mlp';

/** The graph's tensor names. */
export const INPUT_NAME = 'state';
export const OUTPUT_NAME = 'q_values';
/** The metadata_props key holding the whole {@link PolicyModelMetadata} as JSON. */
export const METADATA_KEY = 'swaggy.policy.metadata';
/** ONNX IR version 8 and opset 13: what onnx-proto 8 (ONNX 1.10) describes; Gemm and Relu are stable there. */
const IR_VERSION = 8;
const OPSET = 13;

/** The model version a network gets: the feature spec's version and the first 12 hex digits of its weights' hash. */
export function modelVersionOf(net: Mlp, spec: FeatureSpec): string {
  const hash = createHash('sha256');
  for (let i = 0; i < net.layers.length; i++) {
    const { weights, bias } = net.layerTensors(i);
    hash.update(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
    hash.update(new Uint8Array(bias.buffer, bias.byteOffset, bias.byteLength));
  }
  return `dqn-${spec.version}-${hash.digest('hex').slice(0, 12)}`;
}

function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  // Little-endian raw data, as ONNX requires; typed arrays are little-endian on every platform Node ships for.
  return {
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function valueInfo(name: string, width: number): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] },
      },
    },
  };
}

/**
 * Serialises the Q-network as an ONNX model: one Gemm (transB=1, weights stored [out][in] as the network keeps them)
 * per layer and a Relu after each hidden one, input `state` [batch, stateSize], output `q_values` [batch, 3]. The
 * training metadata goes into metadata_props, whole as JSON under {@link METADATA_KEY}, and its headline fields
 * under their own keys so that any ONNX viewer shows them. The bytes depend only on the weights and the metadata:
 * no timestamps, so a re-run of the same training reproduces the same file.
 */
export function exportOnnx(net: Mlp, metadata: PolicyModelMetadata): Uint8Array {
  if (net.layout.inputSize !== metadata.featureSpec.stateSize) {
    throw new RangeError(
      `Network input ${net.layout.inputSize} does not match the feature spec's ${metadata.featureSpec.stateSize}`,
    );
  }
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let current = INPUT_NAME;
  net.layers.forEach((layer, i) => {
    const { weights, bias } = net.layerTensors(i);
    const w = `fc${i}.weight`;
    const b = `fc${i}.bias`;
    initializers.push(floatTensor(w, [layer.outSize, layer.inSize], weights), floatTensor(b, [layer.outSize], bias));
    const last = i === net.layers.length - 1;
    const gemmOut = last ? OUTPUT_NAME : `fc${i}.out`;
    nodes.push({
      name: `fc${i}`,
      opType: 'Gemm',
      input: [current, w, b],
      output: [gemmOut],
      attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    });
    current = gemmOut;
    if (layer.relu) {
      const reluOut = `relu${i}.out`;
      nodes.push({ name: `relu${i}`, opType: 'Relu', input: [current], output: [reluOut] });
      current = reluOut;
    }
  });

  const props: Record<string, string> = {
    [METADATA_KEY]: JSON.stringify(metadata),
    version: metadata.version,
    feature_spec: JSON.stringify(metadata.featureSpec),
    action_meanings: JSON.stringify(metadata.actions),
    data_hash: metadata.dataHash,
    metrics: JSON.stringify(metadata.metrics),
  };
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'swaggy-stacks',
    producerVersion: metadata.version,
    domain: 'swaggy.policy',
    modelVersion: 1,
    docString: 'Double DQN trading policy: Q-values of the actions short, flat and long for a normalised state.',
    graph: {
      name: 'dqn_policy',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(INPUT_NAME, net.layout.inputSize)],
      output: [valueInfo(OUTPUT_NAME, net.layout.outputSize)],
    },
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
