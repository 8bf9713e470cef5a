import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { FEATURE_SPEC } from './features';
import { Mlp } from './mlp';
import { PolicyModelError, readPolicyModel } from './model-file';
import { exportOnnx } from './onnx-export';
import {
  CUDA_INSTALL_HINT,
  candidateProviders,
  isProviderNote,
  PolicyRuntime,
  probeCuda,
  stateFingerprint,
  supportedBackends,
  vulkanLoaderPresent,
  WEBGPU_NOT_TRIED,
} from './policy-runtime';
import { Prng } from './prng';
import { randomWalkSeries } from './testing/random-walk';
import { type TrainedPolicy, trainPolicyModel } from './train-policy';

let trained: TrainedPolicy;
let dir: string;
let modelFile: string;

beforeAll(() => {
  trained = trainPolicyModel({
    series: [randomWalkSeries({ bars: 700, seed: 4, momentum: 0.3 })],
    source: 'test walk',
    config: {
      hidden: [24, 12],
      episodes: 6,
      episodeLength: 128,
      learnStart: 200,
      evalEvery: 2,
      epsilon: { start: 1, end: 0.1, decaySteps: 600 },
    },
  });
  dir = makeTempDir('swaggy-policy-');
  modelFile = path.join(dir, 'policy.onnx');
  fs.writeFileSync(modelFile, trained.bytes);
});

afterAll(() => cleanupTempDirs());

function randomStates(count: number, seed: number): Float32Array {
  const prng = new Prng(seed);
  const D = FEATURE_SPEC.stateSize;
  const flat = new Float32Array(count * D);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < D - 3; k++) flat[i * D + k] = Math.max(-5, Math.min(5, prng.normal() * 1.5));
    flat[i * D + D - 3 + prng.int(3)] = 1;
  }
  return flat;
}

describe('ONNX parity', () => {
  it("gives the training-time network's Q-values within 1e-5 on random states", async () => {
    const runtime = await PolicyRuntime.load(modelFile, { providers: ['cpu'] });
    try {
      const rows = 256;
      const states = randomStates(rows, 77);
      const onnxQ = await runtime.qValuesFlat(states, rows);
      const netQ = trained.result.network.forward(states, rows);
      expect(onnxQ.length).toBe(rows * 3);
      let worst = 0;
      let spread = 0;
      for (let i = 0; i < rows * 3; i++) {
        worst = Math.max(worst, Math.abs((onnxQ[i] as number) - (netQ[i] as number)));
        spread = Math.max(spread, Math.abs(netQ[i] as number));
      }
      expect(worst).toBeLessThan(1e-5);
      // The Q-values are not all zero, so the comparison means something.
      expect(spread).toBeGreaterThan(1e-3);
      // One state at a time gives the same as the batch.
      const single = await runtime.qValues([states.slice(0, FEATURE_SPEC.stateSize)]);
      expect(Array.from(single[0] ?? [])).toEqual(Array.from(onnxQ.slice(0, 3)));
    } finally {
      await runtime.dispose();
    }
  });

  it('carries the metadata: feature spec, actions, version, data hash and metrics', () => {
    const model = readPolicyModel(modelFile);
    expect(model.metadata.featureSpec).toEqual(FEATURE_SPEC);
    expect(model.metadata.actions.map((a) => a.name)).toEqual(['short', 'flat', 'long']);
    expect(model.metadata.version).toMatch(/^dqn-features-v1-[0-9a-f]{12}$/);
    expect(model.metadata.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.metadata.metrics.validation.bars).toBeGreaterThan(0);
    const proto = onnx.ModelProto.decode(trained.bytes);
    const keys = proto.metadataProps.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining(['version', 'feature_spec', 'action_meanings', 'data_hash', 'metrics']),
    );
  });
});

describe('model file errors', () => {
  it('names a missing file', async () => {
    const missing = path.join(dir, 'nope.onnx');
    const failure = PolicyRuntime.load(missing, { providers: ['cpu'] });
    await expect(failure).rejects.toBeInstanceOf(PolicyModelError);
    await expect(failure).rejects.toMatchObject({ code: 'NOT_FOUND', problem: 'missing' });
    await expect(failure).rejects.toThrow(missing);
  });

  it('names a corrupt file (garbage, and a valid file cut short)', async () => {
    const garbage = path.join(dir, 'garbage.onnx');
    fs.writeFileSync(garbage, Buffer.from('this is not a protobuf at all, just text'));
    await expect(PolicyRuntime.load(garbage, { providers: ['cpu'] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(garbage),
    });
    const truncated = path.join(dir, 'truncated.onnx');
    fs.writeFileSync(truncated, trained.bytes.subarray(0, Math.floor(trained.bytes.length / 2)));
    await expect(PolicyRuntime.load(truncated, { providers: ['cpu'] })).rejects.toThrow(truncated);
  });

  it('names a file whose graph takes the wrong input shape', async () => {
    const proto = onnx.ModelProto.decode(trained.bytes);
    const dim = proto.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[1];
    if (!dim) throw new Error('exported model has no input dims');
    dim.dimValue = FEATURE_SPEC.stateSize + 4;
    const wrong = path.join(dir, 'wrong-shape.onnx');
    fs.writeFileSync(wrong, onnx.ModelProto.encode(proto).finish());
    const failure = PolicyRuntime.load(wrong, { providers: ['cpu'] });
    await expect(failure).rejects.toMatchObject({ code: 'UNAVAILABLE', problem: 'shape' });
    await expect(failure).rejects.toThrow(`${wrong} has input "state" of shape [batch, ${FEATURE_SPEC.stateSize + 4}]`);
  });

  it('names a file built for another feature spec', () => {
    const other = { ...trained.metadata.featureSpec, stateSize: 10 };
    const net = Mlp.create({ inputSize: 10, hidden: [4], outputSize: 3 }, 1);
    const file = path.join(dir, 'other-spec.onnx');
    fs.writeFileSync(file, exportOnnx(net, { ...trained.metadata, featureSpec: other }));
    expect(() => readPolicyModel(file)).toThrow(
      `The policy model ${file} was trained on features features-v1 (10 inputs)`,
    );
  });

  it('names an ONNX file that is not a policy model', () => {
    const proto = onnx.ModelProto.decode(trained.bytes);
    proto.metadataProps = [];
    const file = path.join(dir, 'foreign.onnx');
    fs.writeFileSync(file, onnx.ModelProto.encode(proto).finish());
    expect(() => readPolicyModel(file)).toThrow(`The ONNX file ${file} is not a Swaggy policy model`);
  });
});

describe('execution providers', () => {
  it('orders the candidates by platform: CUDA where installed, DirectML, CoreML, WebGPU, CPU', () => {
    expect(candidateProviders('linux', false, true)).toEqual(['webgpu', 'cpu']);
    expect(candidateProviders('linux', true, true)).toEqual(['cuda', 'webgpu', 'cpu']);
    // Without a Vulkan loader WebGPU cannot start on Linux, so it is not tried.
    expect(candidateProviders('linux', true, false)).toEqual(['cuda', 'cpu']);
    expect(candidateProviders('win32', true)).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(candidateProviders('darwin', false)).toEqual(['coreml', 'webgpu', 'cpu']);
  });

  it.skipIf(process.platform === 'darwin')(
    'falls back from a provider this platform lacks to CPU, with a warning',
    async () => {
      const warned: string[] = [];
      const runtime = await PolicyRuntime.load(modelFile, {
        providers: ['coreml', 'cpu'],
        warn: (m) => warned.push(m),
      });
      try {
        expect(runtime.provider).toBe('cpu');
        expect(runtime.warnings).toHaveLength(1);
        expect(runtime.warnings[0]).toMatch(/^Execution provider coreml failed to start \(.+\); falling back to cpu$/);
        expect(warned).toEqual(runtime.warnings);
      } finally {
        await runtime.dispose();
      }
    },
  );

  it('tries WebGPU and, where it cannot start (no GPU adapter here), runs on CPU and says why', async () => {
    const runtime = await PolicyRuntime.load(modelFile, { providers: ['webgpu', 'cpu'] });
    try {
      if (runtime.provider === 'webgpu') {
        // A machine with a WebGPU adapter: nothing to fall back from.
        expect(runtime.warnings).toEqual([]);
      } else {
        expect(runtime.provider).toBe('cpu');
        expect(runtime.warnings[0]).toMatch(/^Execution provider webgpu failed to start/);
      }
    } finally {
      await runtime.dispose();
    }
  });
});

describe('CUDA probe', () => {
  const linuxBackends = [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
  ];
  const cudaLibs = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

  it('says CUDA is not tried when the binding has CUDA but its provider library is not installed', () => {
    const empty = makeTempDir('swaggy-ort-bin-');
    const probe = probeCuda('linux', linuxBackends, empty);
    expect(probe.installed).toBe(false);
    expect(probe.notTried).toBe(
      "CUDA not tried: onnxruntime-node's CUDA provider library is not installed " +
        `(${cudaLibs.join(', ')}; reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 and have CUDA 12 + cuDNN 9)`,
    );
    expect(isProviderNote(probe.notTried ?? '')).toBe(true);
    // Half an install (the provider without its shared helper) cannot load either.
    fs.writeFileSync(path.join(empty, cudaLibs[0] as string), '');
    expect(probeCuda('linux', linuxBackends, empty).notTried).toContain(`(${cudaLibs[1]}; ${CUDA_INSTALL_HINT})`);
  });

  it('tries CUDA when both libraries are there, by the file probe alone when the binding cannot list backends', () => {
    const full = makeTempDir('swaggy-ort-bin-');
    for (const lib of cudaLibs) fs.writeFileSync(path.join(full, lib), '');
    expect(probeCuda('linux', linuxBackends, full)).toEqual({ installed: true, notTried: null });
    expect(probeCuda('linux', null, full)).toEqual({ installed: true, notTried: null });
    expect(probeCuda('linux', null, makeTempDir('swaggy-ort-bin-')).installed).toBe(false);
    // Windows names its libraries .dll.
    const win = makeTempDir('swaggy-ort-bin-');
    for (const lib of ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll']) {
      fs.writeFileSync(path.join(win, lib), '');
    }
    expect(probeCuda('win32', null, win).installed).toBe(true);
  });

  it('says so when the binding was built without CUDA, and says nothing on macOS', () => {
    const probe = probeCuda('linux', [{ name: 'cpu', bundled: true }], makeTempDir('swaggy-ort-bin-'));
    expect(probe.installed).toBe(false);
    expect(probe.notTried).toMatch(/^CUDA not tried: this onnxruntime-node build \(linux\/.+\) has no CUDA/);
    expect(probeCuda('darwin', [{ name: 'coreml', bundled: true }], null)).toEqual({
      installed: false,
      notTried: null,
    });
  });

  it("reads the installed onnxruntime-node's own backend list", () => {
    const backends = supportedBackends();
    // onnxruntime-node 1.22+ has listSupportedBackends; CPU is always compiled in.
    expect(backends?.some((b) => b.name === 'cpu')).toBe(true);
  });

  it.skipIf(process.platform === 'darwin')(
    'loads with the platform providers, and every provider not tried reaches both the warnings and warn',
    async () => {
      const warned: string[] = [];
      const runtime = await PolicyRuntime.load(modelFile, { warn: (m) => warned.push(m) });
      try {
        const cuda = probeCuda();
        if (cuda.notTried) {
          // This machine: onnxruntime-node installed without its CUDA library (ONNXRUNTIME_NODE_INSTALL=skip).
          expect(runtime.warnings[0]).toBe(cuda.notTried);
          expect(runtime.warnings[0]).toContain("CUDA not tried: onnxruntime-node's CUDA provider library");
        }
        if (process.platform === 'linux' && !vulkanLoaderPresent())
          expect(runtime.warnings).toContain(WEBGPU_NOT_TRIED);
        // warn hears every line the runtime keeps, in the same order: not tried first, then any fallbacks.
        expect(warned).toEqual(runtime.warnings);
        expect(runtime.warnings.every(isProviderNote)).toBe(true);
        // And the model runs.
        const q = await runtime.qValuesFlat(randomStates(2, 9), 2);
        expect(q).toHaveLength(6);
      } finally {
        await runtime.dispose();
      }
    },
  );

  it('tells provider notes from model problems', () => {
    expect(isProviderNote(WEBGPU_NOT_TRIED)).toBe(true);
    expect(isProviderNote('Execution provider webgpu failed to start (x); falling back to cpu')).toBe(true);
    expect(isProviderNote('The policy model /tmp/x.onnx is not a valid ONNX file')).toBe(false);
    expect(isProviderNote('Policy model /tmp/not tried: odd.onnx was not found')).toBe(false);
  });
});

describe('stateFingerprint', () => {
  it('changes with any bit of the state and nothing else', () => {
    const a = randomStates(1, 3);
    const b = a.slice();
    expect(stateFingerprint(a)).toBe(stateFingerprint(b));
    b[7] = Math.fround((b[7] as number) + 1e-6);
    expect(stateFingerprint(a)).not.toBe(stateFingerprint(b));
    expect(stateFingerprint(a)).toMatch(/^[0-9a-f]{32}$/);
  });
});
