import fs from 'node:fs';
import { onnx } from 'onnx-proto';
import { type PolicyModelMetadata, policyActions, policyModelMetadataSchema } from '../../../shared/domain/policy';
import { AppError, formatZodError } from '../../../shared/result';
import { FEATURE_SPEC } from './features';
import { METADATA_KEY } from './onnx-export';

/** Why a model file cannot be used. */
export type ModelProblem = 'missing' | 'corrupt' | 'metadata' | 'shape';

/**
 * A model file that cannot be used, naming the file and what to do. Missing is NOT_FOUND; a file that is there but
 * unusable is UNAVAILABLE. The desk keeps working without the policy and shows this message.
 */
export class PolicyModelError extends AppError {
  constructor(
    readonly file: string,
    readonly problem: ModelProblem,
    message: string,
  ) {
    super(problem === 'missing' ? 'NOT_FOUND' : 'UNAVAILABLE', message, { file, problem });
    this.name = 'PolicyModelError';
  }
}

/** A model read from disk and checked against this build's feature spec. */
export interface PolicyModelFile {
  file: string;
  bytes: Uint8Array;
  metadata: PolicyModelMetadata;
}

function dims(info: onnx.IValueInfoProto | undefined): (number | string)[] | null {
  const shape = info?.type?.tensorType?.shape?.dim;
  if (!shape) return null;
  return shape.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
}

/**
 * Reads and checks a policy model: the file exists, is an ONNX protobuf, carries Swaggy policy metadata, was built
 * for this feature spec, and its graph takes [batch, stateSize] and returns [batch, 3]. onnxruntime checks the rest
 * when the session is created (see the runtime).
 */
export function readPolicyModel(file: string): PolicyModelFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new PolicyModelError(file, 'missing', `Policy model file not found: ${file}`);
    }
    throw new PolicyModelError(file, 'corrupt', `Cannot read the policy model file ${file}: ${(e as Error).message}`);
  }
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new PolicyModelError(
      file,
      'corrupt',
      `The policy model file ${file} is not a valid ONNX model (${(e as Error).message}); replace it or retrain`,
    );
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new PolicyModelError(file, 'corrupt', `The policy model file ${file} has no graph; replace it or retrain`);
  }
  const raw = model.metadataProps.find((p) => p.key === METADATA_KEY)?.value;
  if (!raw) {
    throw new PolicyModelError(
      file,
      'metadata',
      `The ONNX file ${file} is not a Swaggy policy model: its metadata has no "${METADATA_KEY}" entry`,
    );
  }
  let metadata: PolicyModelMetadata;
  try {
    const parsed = policyModelMetadataSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new Error(formatZodError(parsed.error));
    metadata = parsed.data;
  } catch (e) {
    throw new PolicyModelError(file, 'metadata', `The policy metadata in ${file} is invalid: ${(e as Error).message}`);
  }

  const spec = metadata.featureSpec;
  if (spec.version !== FEATURE_SPEC.version || spec.stateSize !== FEATURE_SPEC.stateSize) {
    throw new PolicyModelError(
      file,
      'shape',
      `The policy model ${file} was trained on features ${spec.version} (${spec.stateSize} inputs); this build ` +
        `computes ${FEATURE_SPEC.version} (${FEATURE_SPEC.stateSize} inputs). Retrain the policy.`,
    );
  }
  const input = (model.graph.input ?? []).find((i) => i.name === metadata.inputName);
  const output = (model.graph.output ?? []).find((o) => o.name === metadata.outputName);
  const inDims = dims(input ?? undefined);
  const outDims = dims(output ?? undefined);
  if (inDims?.length !== 2 || inDims[1] !== FEATURE_SPEC.stateSize) {
    throw new PolicyModelError(
      file,
      'shape',
      `The policy model ${file} has input "${metadata.inputName}" of shape [${inDims?.join(', ') ?? 'missing'}]; ` +
        `expected [batch, ${FEATURE_SPEC.stateSize}]. Retrain the policy.`,
    );
  }
  if (outDims?.length !== 2 || outDims[1] !== policyActions.length) {
    throw new PolicyModelError(
      file,
      'shape',
      `The policy model ${file} has output "${metadata.outputName}" of shape [${outDims?.join(', ') ?? 'missing'}]; ` +
        `expected [batch, ${policyActions.length}].`,
    );
  }
  return { file, bytes, metadata };
}
