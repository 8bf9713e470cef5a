import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PolicyModelMetadata } from '../../../shared/domain/policy';
import { policyActions } from '../../../shared/domain/policy';
import { FEATURE_SPEC } from './features';
import { PolicyModelError, readPolicyModel } from './model-file';

/** Execution providers in the order they are tried. */
export type ExecutionProvider = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

/**
 * Where onnxruntime-node keeps its native libraries for this platform. CUDA's provider library only exists there
 * when the CUDA build was installed (`ONNXRUNTIME_NODE_INSTALL=cuda12`), which is how "CUDA is installed" is
 * judged: asking the binding for a provider whose library is missing prints an error from native code before
 * failing.
 */
function ortBinDir(): string | null {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/** One entry of onnxruntime-node's `listSupportedBackends()`: a provider compiled in, and whether its library ships. */
export interface SupportedBackend {
  name: string;
  /** False when the provider's library is a separate download (CUDA on Linux x64). */
  bundled: boolean;
}

/**
 * The providers this onnxruntime-node binding was built with, or null when the installed version has no
 * `listSupportedBackends` (it appeared in 1.22) or it fails: the file probe alone then decides.
 */
export function supportedBackends(): SupportedBackend[] | null {
  const list = (ort as { listSupportedBackends?: () => SupportedBackend[] }).listSupportedBackends;
  if (typeof list !== 'function') return null;
  try {
    return list();
  } catch {
    return null;
  }
}

/** The hint every "CUDA not tried" line ends with: how to get the provider library. */
export const CUDA_INSTALL_HINT = 'reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 and have CUDA 12 + cuDNN 9';

/** Whether CUDA is worth trying, and when not, the line that says why ("CUDA not tried: …"). */
export interface CudaProbe {
  installed: boolean;
  /** Null when CUDA will be tried, or on macOS (no CUDA there, nothing to say). */
  notTried: string | null;
}

/**
 * Whether onnxruntime-node's CUDA provider can be tried: the binding must list `cuda` among its backends (when it
 * can say) and the provider library and its shared helper must be on disk. onnxruntime-node installs the library
 * from a separate download that `ONNXRUNTIME_NODE_INSTALL=skip` (offline installs) leaves out, and then CUDA would
 * silently never be tried; this says so instead.
 *
 * @param backends `listSupportedBackends()`, or null when unknown.
 * @param binDir onnxruntime-node's native library folder for the platform, or null when it cannot be found.
 */
export function probeCuda(
  platform: NodeJS.Platform = process.platform,
  backends: readonly SupportedBackend[] | null = supportedBackends(),
  binDir: string | null = ortBinDir(),
): CudaProbe {
  if (platform === 'darwin') return { installed: false, notTried: null };
  const libs =
    platform === 'win32'
      ? ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll']
      : ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
  if (backends && !backends.some((b) => b.name === 'cuda')) {
    return {
      installed: false,
      notTried: `CUDA not tried: this onnxruntime-node build (${platform}/${process.arch}) has no CUDA execution provider`,
    };
  }
  const missing = binDir ? libs.filter((lib) => !fs.existsSync(path.join(binDir, lib))) : libs;
  if (missing.length > 0) {
    return {
      installed: false,
      notTried:
        `CUDA not tried: onnxruntime-node's CUDA provider library is not installed (${missing.join(', ')}; ` +
        `${CUDA_INSTALL_HINT})`,
    };
  }
  return { installed: true, notTried: null };
}

/** True when onnxruntime-node's CUDA provider library is installed (see {@link probeCuda}). */
export function cudaInstalled(platform: NodeJS.Platform = process.platform): boolean {
  return probeCuda(platform).installed;
}

/** The line for a Linux machine without a Vulkan loader, where WebGPU is not tried. */
export const WEBGPU_NOT_TRIED = 'WebGPU not tried: no Vulkan loader (libvulkan.so.1) on this machine';

/**
 * True for the runtime's informational lines about execution providers: one that was not tried ("… not tried: …")
 * or one that failed to start and was fallen back from ("Execution provider … failed to start …"). Running on the
 * CPU is normal on most machines, so these say where the policy runs, not that anything is wrong with the model.
 */
export function isProviderNote(line: string): boolean {
  return line.startsWith('Execution provider ') || /^[A-Za-z]+ not tried: /.test(line);
}

/**
 * On Linux, onnxruntime's WebGPU provider runs on Vulkan: without the Vulkan loader it cannot start (and prints a
 * native warning nobody can silence), so it is not worth trying.
 */
export function vulkanLoaderPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/lib64',
    '/usr/local/lib',
  ];
  return dirs.some((dir) => fs.existsSync(path.join(dir, 'libvulkan.so.1')));
}

/**
 * The providers worth trying on this machine, best first: CUDA where its library is installed, DirectML on
 * Windows, CoreML on macOS, WebGPU (on Linux only with a Vulkan loader), then CPU (always last, always there).
 */
export function candidateProviders(
  platform: NodeJS.Platform = process.platform,
  hasCuda: boolean = cudaInstalled(platform),
  hasVulkan: boolean = platform !== 'linux' || vulkanLoaderPresent(),
): ExecutionProvider[] {
  const list: ExecutionProvider[] = [];
  if (hasCuda) list.push('cuda');
  if (platform === 'win32') list.push('dml');
  if (platform === 'darwin') list.push('coreml');
  if (hasVulkan) list.push('webgpu');
  list.push('cpu');
  return list;
}

/** Logs a provider that was not tried or failed to start (the same lines as {@link PolicyRuntime.warnings}). */
export type WarnFn = (message: string) => void;

export interface RuntimeOptions {
  /** Override the provider order (tests; a user who wants CPU only). */
  providers?: readonly ExecutionProvider[];
  warn?: WarnFn;
  /** Threads for one inference; 1 keeps small batches fastest and leaves the cores to the rest of the desk. */
  intraOpThreads?: number;
}

/**
 * A fingerprint of one state: sha256 of its float32 bytes, 32 hex digits. Two states get the same fingerprint only
 * when every input is bit-identical, so a cached Q-value is never served for a different state.
 */
export function stateFingerprint(state: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(state.buffer, state.byteOffset, state.byteLength))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The DQN policy in the main process: an onnxruntime session on the first execution provider that starts, with
 * batched Q-values for any number of states in one run.
 */
export class PolicyRuntime {
  private constructor(
    readonly file: string,
    readonly metadata: PolicyModelMetadata,
    readonly provider: ExecutionProvider,
    /**
     * One line per provider that was not tried ("CUDA not tried: …", "WebGPU not tried: …") or was tried and
     * failed ("Execution provider … failed to start …"), in order; all informational ({@link isProviderNote}).
     */
    readonly warnings: readonly string[],
    private readonly session: ort.InferenceSession,
  ) {}

  /** The model version, part of every cache key. */
  get version(): string {
    return this.metadata.version;
  }

  get stateSize(): number {
    return FEATURE_SPEC.stateSize;
  }

  /**
   * Loads `file` and starts a session on the first provider that works. A provider that fails to create the
   * session or to run a warm-up inference is skipped with a warning. Without `options.providers`, the platform's
   * providers are tried and each one left out says why (CUDA without its provider library, WebGPU without a Vulkan
   * loader); every such line goes to `options.warn` too. Throws {@link PolicyModelError} naming the file
   * when the model itself is missing, corrupt or of the wrong shape.
   */
  static async load(file: string, options: RuntimeOptions = {}): Promise<PolicyRuntime> {
    const model = readPolicyModel(file);
    const warnings: string[] = [];
    let providers: readonly ExecutionProvider[];
    if (options.providers) {
      // An explicit list is the caller's choice: nothing to explain about what it leaves out.
      providers = options.providers;
    } else {
      const cuda = probeCuda();
      providers = candidateProviders(process.platform, cuda.installed);
      // Say what was left out and why, or a GPU machine would run on the CPU with no word about it.
      if (cuda.notTried) warnings.push(cuda.notTried);
      if (process.platform === 'linux' && !providers.includes('webgpu')) warnings.push(WEBGPU_NOT_TRIED);
      for (const line of warnings) options.warn?.(line);
    }
    let lastError: unknown = null;
    for (const provider of providers) {
      let session: ort.InferenceSession | null = null;
      try {
        session = await ort.InferenceSession.create(model.bytes, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
          intraOpNumThreads: options.intraOpThreads ?? 1,
          interOpNumThreads: 1,
          logSeverityLevel: 3,
        });
        const probe = new ort.Tensor('float32', new Float32Array(FEATURE_SPEC.stateSize), [1, FEATURE_SPEC.stateSize]);
        const out = await session.run({ [model.metadata.inputName]: probe });
        const q = out[model.metadata.outputName];
        if (!q || q.dims[1] !== policyActions.length) throw new Error(`output has shape [${q?.dims.join(', ')}]`);
        return new PolicyRuntime(file, model.metadata, provider, warnings, session);
      } catch (e) {
        lastError = e;
        await session?.release().catch(() => {});
        const reason = firstLine(e);
        const next = providers[providers.indexOf(provider) + 1];
        const line = `Execution provider ${provider} failed to start (${reason})${next ? `; falling back to ${next}` : ''}`;
        warnings.push(line);
        options.warn?.(line);
        // The CPU provider failing means the model itself is broken, not the machine.
        if (provider === 'cpu') break;
      }
    }
    throw new PolicyModelError(
      file,
      'corrupt',
      `onnxruntime could not run the policy model ${file}: ${firstLine(lastError)}`,
    );
  }

  /**
   * Q-values for a batch of states laid out row-major in `flat` (rows × stateSize), in one session run; returns
   * rows × 3 in action order (short, flat, long).
   */
  async qValuesFlat(flat: Float32Array, rows: number): Promise<Float32Array> {
    const D = FEATURE_SPEC.stateSize;
    if (rows === 0) return new Float32Array(0);
    if (flat.length !== rows * D) {
      throw new RangeError(`Expected ${rows} states of ${D} values (${rows * D}), got ${flat.length} values`);
    }
    const input = new ort.Tensor('float32', flat, [rows, D]);
    const out = await this.session.run({ [this.metadata.inputName]: input });
    const q = out[this.metadata.outputName];
    if (!q) throw new Error(`The model produced no "${this.metadata.outputName}" output`);
    return q.data as Float32Array;
  }

  /** Q-values for each state (all in one run): one Float32Array of 3 per state. */
  async qValues(states: readonly Float32Array[]): Promise<Float32Array[]> {
    const D = FEATURE_SPEC.stateSize;
    const flat = new Float32Array(states.length * D);
    states.forEach((s, i) => {
      if (s.length !== D) throw new RangeError(`State ${i} has ${s.length} values, expected ${D}`);
      flat.set(s, i * D);
    });
    const q = await this.qValuesFlat(flat, states.length);
    return states.map((_, i) => q.slice(i * 3, i * 3 + 3));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** The first line of an error, shortened from the front: onnxruntime puts its source location first, the reason last. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = (text.split('\n').find((l) => l.trim().length > 0) ?? text).trim();
  return line.length > 200 ? `…${line.slice(-200)}` : line;
}
