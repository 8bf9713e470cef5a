/**
 * Cleans text from news files and social feeds before tokenizing: invisible characters, odd spaces, curly quotes,
 * and UTF-8 text that was decoded as Windows-1252 somewhere upstream ("doesnâ€™t" for "doesn't").
 */

// Windows-1252 bytes 0x80-0x9F, which Latin-1 leaves as C1 controls. Mojibake made by a cp1252 decoder contains
// these characters, so reversing it needs the table.
const CP1252_HIGH: Record<string, number> = {
  '\u20AC': 0x80,
  '\u201A': 0x82,
  '\u0192': 0x83,
  '\u201E': 0x84,
  '\u2026': 0x85,
  '\u2020': 0x86,
  '\u2021': 0x87,
  '\u02C6': 0x88,
  '\u2030': 0x89,
  '\u0160': 0x8a,
  '\u2039': 0x8b,
  '\u0152': 0x8c,
  '\u017D': 0x8e,
  '\u2018': 0x91,
  '\u2019': 0x92,
  '\u201C': 0x93,
  '\u201D': 0x94,
  '\u2022': 0x95,
  '\u2013': 0x96,
  '\u2014': 0x97,
  '\u02DC': 0x98,
  '\u2122': 0x99,
  '\u0161': 0x9a,
  '\u203A': 0x9b,
  '\u0153': 0x9c,
  '\u017E': 0x9e,
  '\u0178': 0x9f,
};

const CONTINUATION = `[\\u0080-\\u00BF${Object.keys(CP1252_HIGH).join('')}]`;
// A UTF-8 lead byte (0xC2-0xF4) followed by one to three continuation bytes, all seen through cp1252/Latin-1.
const MOJIBAKE = new RegExp(`[\\u00C2-\\u00F4]${CONTINUATION}{1,3}`, 'g');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function toCp1252Byte(ch: string): number | null {
  const code = ch.charCodeAt(0);
  if (code <= 0xff) return code;
  return CP1252_HIGH[ch] ?? null;
}

/** Reverses UTF-8-read-as-cp1252 sequences; anything that does not decode cleanly is left as it was. */
export function repairMojibake(text: string): string {
  if (!/[\u00C2-\u00F4]/.test(text)) return text;
  return text.replace(MOJIBAKE, (seq) => {
    const bytes: number[] = [];
    for (const ch of seq) {
      const b = toCp1252Byte(ch);
      if (b === null) return seq;
      bytes.push(b);
    }
    try {
      return utf8.decode(Uint8Array.from(bytes));
    } catch {
      return seq;
    }
  });
}

/**
 * Normalises a text for scoring: removes BOMs and zero-width characters, turns no-break and other odd spaces into
 * spaces, repairs common mojibake, applies NFKC (full-width letters, ligatures) and straightens quotes. It keeps
 * emoji and letters in every script.
 */
export function normalizeText(raw: string): string {
  let text = raw.replace(/[\uFEFF\u200B-\u200D\u2060\u00AD]/g, '');
  text = text.replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
  text = repairMojibake(text);
  text = text.normalize('NFKC');
  text = text.replace(/[\u2018\u2019\u201B\u2032`\u00B4]/g, "'").replace(/[\u201C\u201D\u201F\u2033]/g, '"');
  return text;
}
