import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SayPlatformLinux from 'say/platform/linux.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../doctor/which';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { runTool } from '../run-tool';
import { startVirtualMic, type VirtualMic, virtualMicAvailability } from '../testing/virtual-mic';
import { FestivalSayEngine, festivalProgram, hasFestivalVoice } from './festival-say-engine';
import { schemeString, toSpeakableText } from './speakable-text';

const hasFestival = which('festival') !== null;

/** Headlines and symbols as a hostile import could carry them: each tries to break out of the Scheme string. */
function hostileTexts(marker: string): string[] {
  return [
    `Apple beats estimates") (system "touch ${marker}") (SayText "`,
    `Quote \\" then (system "touch ${marker}") ;`,
    `"))(system "touch ${marker}")((SayText "x`,
    `Tesla "up" 5% \u201d) (system "touch ${marker}") (\u201c`,
    `line one\n") (system "touch ${marker}")\n("`,
  ];
}

afterAll(() => cleanupTempDirs());

describe('festival voices', () => {
  it('finds a voice folder, and reports none where festival has no voice (it would start and say nothing)', () => {
    const root = makeTempDir();
    expect(hasFestivalVoice([path.join(root, 'missing')])).toBe(false);
    fs.mkdirSync(path.join(root, 'english'), { recursive: true });
    expect(hasFestivalVoice([root])).toBe(false);
    fs.mkdirSync(path.join(root, 'english', 'kal_diphone'));
    expect(hasFestivalVoice([root])).toBe(true);
  });
});

describe('speakable text', () => {
  it('keeps words and punctuation, drops quotes, backslashes and brackets', () => {
    expect(toSpeakableText('Nestlé "beats" (again) \\ by 5%!')).toBe('Nestle beats again by 5%!');
    expect(toSpeakableText('-rf --help text')).toBe('rf help text');
    expect(toSpeakableText('x'.repeat(700)).length).toBeLessThanOrEqual(601);
  });

  it('writes a Scheme string that cannot be closed from inside', () => {
    expect(schemeString('a"b\\c')).toBe('"a\\"b\\\\c"');
    for (const text of hostileTexts('/tmp/never')) {
      const program = festivalProgram(text);
      // Exactly one string literal: the opening quote and the closing one.
      expect(program.replace(/\\./g, '').match(/"/g)).toHaveLength(2);
      expect(program).toMatch(/^\(SayText "[^"]*"\)$/);
    }
  });

  it('accepts only voice names that look like festival voice functions', () => {
    expect(festivalProgram('hi', { voice: 'voice_kal_diphone' })).toBe('(voice_kal_diphone) (SayText "hi")');
    expect(festivalProgram('hi', { voice: 'voice_x) (system "id"' })).toBe('(SayText "hi")');
    expect(festivalProgram('hi', { stretch: 1.2 })).toBe('(Parameter.set \'Duration_Stretch 1.20) (SayText "hi")');
  });
});

/** Festival's audio goes to `true`: the program is evaluated exactly, nothing needs a sound card. */
const SILENT = `(Parameter.set 'Audio_Method 'Audio_Command) (Parameter.set 'Audio_Command "true") `;

describe.skipIf(!hasFestival)('festival Scheme injection (needs festival)', () => {
  it('runs injected Scheme through say 0.16 as shipped: the hole is real, and this test sees it', async () => {
    const dir = makeTempDir('swaggy-inject-');
    const marker = path.join(dir, 'pwned-by-stock-say');
    // say's own program for a hostile headline, piped to festival exactly as say.speak() does.
    const stock = new SayPlatformLinux().buildSpeakCommand({
      text: `Apple beats estimates") (system "touch ${marker}") (SayText "`,
      voice: null,
      speed: null,
    });
    await runTool('festival', ['--pipe'], { input: SILENT + stock.pipedData, allowFailure: true, timeoutMs: 30_000 });
    expect(fs.existsSync(marker)).toBe(true);
  });

  it('never runs injected Scheme through the hardened program', async () => {
    const dir = makeTempDir('swaggy-inject-');
    const texts = hostileTexts('MARKER');
    const markers = texts.map((_, i) => path.join(dir, `pwned-${i}`));
    for (const [i, text] of texts.entries()) {
      const program = festivalProgram(text.replace('MARKER', markers[i] as string));
      const result = await runTool('festival', ['--pipe'], {
        input: SILENT + program,
        allowFailure: true,
        timeoutMs: 30_000,
      });
      expect(result.code).toBe(0);
    }
    for (const marker of markers) expect(fs.existsSync(marker)).toBe(false);
  });
});

describe.skipIf(!hasFestival || !virtualMicAvailability().ok)(
  'festival through say plays and stops only its own processes (needs festival and pulseaudio)',
  () => {
    let mic: VirtualMic;
    beforeAll(async () => {
      mic = await startVirtualMic();
    }, 20_000);
    afterAll(async () => {
      await mic?.close();
    });

    it('speaks hostile text through say without running it', async () => {
      const dir = makeTempDir('swaggy-inject-');
      const marker = path.join(dir, 'pwned-live');
      const engine = new FestivalSayEngine({ env: mic.env });
      const listen = mic.listen();
      const handle = engine.speak(`Apple") (system "touch ${marker}") ("`);
      await handle.done;
      await listen.stop();
      expect(fs.existsSync(marker)).toBe(false);
    }, 30_000);

    it('stop() ends festival and its player, and no other process', async () => {
      const engine = new FestivalSayEngine({ env: mic.env });
      const listen = mic.listen();
      const handle = engine.speak(
        'This is a long alert about the market, read slowly so that there is time to interrupt it in the middle of a sentence.',
      );
      await listen.firstSound;
      // Processes started right after ours take the next pids: exactly where say's stop() aims (pid + 2).
      const decoys = [0, 1, 2, 3].map(() => spawn('sleep', ['30'], { stdio: 'ignore' }));
      const group = handle.processGroup as number;
      // festival, the shell it runs the player through, and aplay.
      expect(membersOf(group).length).toBeGreaterThanOrEqual(2);
      handle.stop();
      await handle.done;
      await listen.stop();
      for (let i = 0; i < 20 && membersOf(group).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(membersOf(group)).toEqual([]);
      for (const decoy of decoys) {
        expect(isAlive(decoy.pid as number)).toBe(true);
        decoy.kill('SIGKILL');
      }
    }, 30_000);
  },
);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Live processes in a process group, read from /proc (field 5 of /proc/<pid>/stat is the group). */
function membersOf(group: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === group) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
