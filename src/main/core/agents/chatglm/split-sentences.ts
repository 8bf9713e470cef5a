// Abbreviations that end with a period inside a sentence ("4:00 p.m. Eastern", "Martin Luther King Jr. Day").
const ABBREVIATIONS = ['a.m.', 'p.m.', 'jr.', 'sr.', 'e.g.', 'i.e.', 'u.s.', 'inc.', 'no.', 'vs.', 'st.', 'co.'];

/** Splits prose into sentences at ". ", "! " and "? " followed by a capital, digit or "$", sparing abbreviations. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s+[A-Z0-9$"(])/g)) {
    const end = (m.index ?? 0) + 1;
    const before = text.slice(start, end).toLowerCase();
    if (ABBREVIATIONS.some((a) => before.endsWith(` ${a}`) || before === a)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence !== '') out.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out;
}
