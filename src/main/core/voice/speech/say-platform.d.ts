/** say 0.16's platform classes (not typed by the package): what the hardened festival engine extends. */
declare module 'say/platform/linux.js' {
  import type { ChildProcess, SpawnOptions } from 'node:child_process';

  class SayPlatformLinux {
    child: ChildProcess | null;
    speak(text: string, voice: string | null, speed: number | null, callback?: (error: Error | null) => void): void;
    stop(callback?: (error: Error | null) => void): void;
    buildSpeakCommand(input: { text: string; voice: string | null; speed: number | null }): {
      command: string;
      args: string[];
      pipedData: string;
      options: SpawnOptions;
    };
    runStopCommand(): void;
  }
  export = SayPlatformLinux;
}
