/** A question turned into full-text search terms. */
export interface NormalizedQuery {
  /** Each term or phrase as an FTS5 expression (a quoted string), without duplicates. */
  ftsTerms: string[];
  /** The plain terms, for display. */
  terms: string[];
  /** The terms joined with OR, ready for MATCH (empty when nothing is left after stop words). */
  ftsQuery: string;
}

/**
 * Trader shorthand and synonyms, matched on the lower-cased question before it is split into words. Each adds the
 * wording the knowledge base uses; the original words stay in the query too.
 */
const SYNONYMS: ReadonlyArray<readonly [RegExp, readonly string[], replace?: 'replace']> = [
  [/\bpdt\b|\bpattern day\b|\b25k\b|\$?25,000\b/, ['pattern day trader']],
  [/\bday[- ]?trad(?:e|es|ed|ing|er|ers)\b/, ['day trade']],
  [/\bt\s*\+\s*[12]\b|\bt[12]\b|\bsettle(?:s|d|ment)?\b/, ['settlement', 't 1']],
  [/\bssr\b|\buptick\b|\bshort[- ]sale restriction\b/, ['short sale restriction', 'rule 201']],
  [/\breg(?:ulation)?\.?\s*t\b|\bregt\b/, ['regulation t', 'initial margin']],
  [/\breg(?:ulation)?\.?\s*sho\b/, ['regulation sho', 'locate']],
  [/\bgfv\b|\bgood[- ]faith\b/, ['good faith violation']],
  [/\bluld\b|\blimit[- ]up\b|\blimit[- ]down\b/, ['limit up limit down']],
  [/\boco\b|\bone[- ]cancels?[- ](?:the[- ])?other\b/, ['one cancels other']],
  [/\boto\b/, ['one triggers other']],
  [/\bgtc\b|\bgood[- ]till?[- ]cancel+ed\b/, ['good til canceled', 'time in force']],
  [/\bioc\b/, ['immediate or cancel', 'time in force']],
  [/\bfok\b/, ['fill or kill', 'time in force']],
  [/\baon\b/, ['all or none', 'time in force']],
  [/\bmoc\b|\bmoo\b/, ['market on close', 'time in force']],
  [/\bpre[- ]?market\b|\bafter[- ]?hours\b|\bextended[- ]hours\b|\bovernight\b/, ['extended hours', 'trading hours']],
  [/\bwhat time\b|\bmarket hours\b|\bwhen (?:does|do|is) the (?:stock )?market\b/, ['trading hours']],
  [/\bstop[- ]?loss\b/, ['stop order']],
  [/\bshort(?:ing|ed|s)?\b/, ['short sale']],
  [/\bcircuit[- ]breakers?\b/, ['circuit breaker']],
  [/\bwash(?:ed)?\b/, ['wash sale']],
  [/\bfree[- ]?rid(?:e|es|ing)\b/, ['free riding']],
  [/\bnbbo\b/, ['national best bid']],
  [/\bdrops?\b|\bdropped\b|\bfell\b|\bplunged?\b|\btank(?:s|ed)?\b|\bcrash(?:es|ed)?\b/g, ['fall'], 'replace'],
  [/\bleverage\b|\bborrow(?:ing)? money\b/, ['margin']],
  [/\bunsettled\b/, ['unsettled funds']],
  [/\bforced (?:sale|liquidation)\b|\bliquidat/, ['margin call', 'liquidation']],
  [/\bcalls?\b.*\bputs?\b|\bputs?\b.*\bcalls?\b/, ['options']],
  [/\bassign(?:ed|ment)?\b/, ['assignment']],
  [/\bexpir(?:y|e|es|ed|ation)\b/, ['expiration']],
  [/\bcapital gains?\b|\blong[- ]term\b|\bshort[- ]term\b/, ['holding period']],
  [/\bex[- ]?div(?:idend)?\b/, ['ex-dividend']],
];

const STOP_WORDS = new Set(
  `a about above after again all am an and any are as at be because been before being below between both but by can
  cannot could did do does doing down during each few for from further get gets got had has have having he her here
  hers him his how i if in into is it its itself just me more most my myself no nor not of off on once only or other
  our ours out over own same she should so some such than that the their theirs them then there these they this
  those through to too under until up very was we were what when where which while who whom why will with would you
  your yours yourself explain tell know please mean means meaning happens happen happening thing things rule rules
  allowed allow okay ok want need someone anyone really many much make made today tomorrow yesterday now currently
  right let say says said`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Turns a question into FTS5 terms: lower-cases it, adds the knowledge base's wording for trader shorthand
 * ("PDT" -> "pattern day trader", "T+1" -> settlement), drops stop words and bare numbers, and quotes every term
 * so that no user text is read as FTS5 syntax.
 */
export function normalizeQuestion(question: string): NormalizedQuery {
  const lower = question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
  const terms: string[] = [];
  const add = (t: string) => {
    const clean = t.replace(/"/g, '').trim();
    if (clean !== '' && !terms.includes(clean)) terms.push(clean);
  };
  let rest = lower;
  for (const [re, expansions, replace] of SYNONYMS) {
    if (!re.test(lower)) continue;
    for (const e of expansions) add(e);
    // Replaced wording is not searched as written ("dropped" only as "fall"): the knowledge base never uses it.
    if (replace) rest = rest.replace(new RegExp(re.source, 'g'), ' ');
  }
  for (const word of rest.match(/[a-z][a-z0-9]*(?:'[a-z]+)?/g) ?? []) {
    const w = word.replace(/'s$/, '').replace(/'/g, '');
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    add(w);
  }
  const ftsTerms = terms.map((t) => `"${t}"`);
  return { ftsTerms, terms, ftsQuery: ftsTerms.join(' OR ') };
}
