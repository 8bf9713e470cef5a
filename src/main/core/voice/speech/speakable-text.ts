/**
 * Text on its way to a speech engine comes from news headlines, symbols and files a user imported: treat it as
 * hostile. `say` 0.16 on Linux pastes it into festival's Scheme interpreter inside `(SayText "…")` without
 * escaping, so a `"` ends the string and the rest runs as Scheme, which can run shell commands
 * (`(system "…")`). Every engine gets text through {@link toSpeakableText}; festival additionally through
 * {@link schemeString}.
 */

/** The longest alert we speak; longer text is cut at a word boundary (nobody listens to a minute of alert). */
export const MAX_SPOKEN_CHARS = 600;

/**
 * Plain speakable ASCII: letters, digits, spaces and sentence punctuation. Quotes, backslashes, brackets and
 * control characters become spaces; accents are dropped ("Nestlé" → "Nestle").
 */
export function toSpeakableText(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^A-Za-z0-9 .,;:!?'%$&+\-/@#]/g, ' ')
    // A leading "-" would read as an option to engines that take text as an argument.
    .replace(/(^|\s)-+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (ascii.length <= MAX_SPOKEN_CHARS) return ascii;
  const cut = ascii.slice(0, MAX_SPOKEN_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_SPOKEN_CHARS / 2 ? cut.slice(0, space) : cut}.`;
}

/**
 * A Scheme string literal holding `text`. Festival's reader (SIOD) ends a string at an unescaped `"` and treats
 * `\` as an escape, so both are escaped; newlines cannot occur after {@link toSpeakableText} but are escaped too.
 */
export function schemeString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]/g, ' ')}"`;
}
