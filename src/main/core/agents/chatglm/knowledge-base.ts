import type { KnowledgePassage } from '../../../../shared/domain/knowledge';

/**
 * Version of the passages below. Bump it with any edit: the loader re-seeds the FTS tables when the stored version
 * differs, and cached answers carry it.
 */
export const KNOWLEDGE_BASE_VERSION = '2026.1';

/**
 * The rules knowledge base: US equity and options trading rules as they stand in 2024-2026, written for a paper
 * trader. Each passage's first sentence states the rule; the rest gives numbers, exceptions and consequences. This
 * is a summary for education, not legal or tax advice; brokers may apply stricter house rules.
 */
export const KNOWLEDGE_BASE: readonly KnowledgePassage[] = [
  {
    id: 'pdt-rule',
    title: 'Pattern day trader rule',
    tags: [
      'pdt',
      'pattern day trader',
      'day trading',
      'how many day trades',
      'four day trades',
      'margin',
      'minimum equity',
      '25000',
    ],
    source: 'FINRA Rule 4210(f)(8)(B)',
    text:
      "A pattern day trader is a customer who executes four or more day trades within five business days in a margin account, provided the day trades are more than six percent of the account's total trades in that period. " +
      'A pattern day trader must keep at least $25,000 of equity in the margin account on any day on which they day trade, and the equity must be in the account before any day trading. ' +
      'If the equity falls below $25,000, the account may not day trade until it is restored to $25,000. ' +
      'Once a broker designates an account as a pattern day trader it keeps that designation even if the customer stops day trading, unless the broker removes it. ' +
      'Funds deposited to meet the minimum must stay in the account for two business days, and cross-guarantees from other accounts may not be used. ' +
      'The rule applies to margin accounts only; cash accounts are limited by settled funds instead. ' +
      'In 2025 FINRA proposed replacing the $25,000 pattern day trader minimum with intraday margin requirements; until an approved change takes effect the $25,000 minimum applies.',
  },
  {
    id: 'day-trade-definition',
    title: 'What counts as a day trade',
    tags: ['day trade', 'round trip', 'pdt', 'same day'],
    source: 'FINRA Rule 4210(f)(8)(B)(i)',
    text:
      'A day trade is buying and then selling, or selling short and then buying to cover, the same security on the same day in a margin account. ' +
      'Options count too: buying and selling the same option contract on the same day is a day trade. ' +
      'Holding a position overnight and selling it the next morning is not a day trade. ' +
      'Brokers count day trades over a rolling window of five business days, and several opening trades closed by several closing trades on one day may count as more than one day trade. ' +
      'Most brokers show the number of day trades left before the account would be flagged as a pattern day trader.',
  },
  {
    id: 'pdt-buying-power',
    title: 'Day-trading buying power and day-trading margin calls',
    tags: ['day trading buying power', 'pdt', 'margin call', 'four times', 'restriction', '90 days'],
    source: 'FINRA Rule 4210(f)(8)(B)(iv)',
    text:
      'A pattern day trader may trade up to four times the maintenance margin excess in the account as of the close of business of the previous day. ' +
      'Exceeding that day-trading buying power triggers a day-trading margin call, which the customer has five business days to meet with cash or securities. ' +
      'Until the call is met the account is limited to two times maintenance margin excess, and if it is not met within five business days the account may trade only on a cash-available basis for 90 days or until the call is met. ' +
      'Money deposited to meet a day-trading call must stay in the account for two business days.',
  },
  {
    id: 'regt-initial-margin',
    title: 'Regulation T initial margin (50%)',
    tags: ['reg t', 'regulation t', 'initial margin', 'margin', 'buying power', 'leverage', '50 percent'],
    source: 'Federal Reserve Regulation T, 12 CFR 220.12',
    text:
      'Regulation T lets a customer borrow up to 50 percent of the purchase price of marginable stock: the initial margin requirement is 50 percent of the purchase. ' +
      'So $10,000 of equity can buy up to $20,000 of marginable stock, which is why overnight margin buying power is usually twice the excess equity. ' +
      'A short sale requires 150 percent of its value at the time of the sale: the proceeds of the sale (100 percent) plus 50 percent of margin. ' +
      'Brokers may require more than 50 percent (house requirements), and some securities, such as recent IPOs and many low-priced stocks, are not marginable at all. ' +
      'If a purchase is not covered by the required margin, the broker issues a Regulation T call that must be met within the payment period, the settlement cycle plus two business days.',
  },
  {
    id: 'maintenance-margin',
    title: 'Maintenance margin (25% long, 30% short)',
    tags: ['maintenance margin', 'margin', 'finra 4210', 'short', 'equity', 'margin call'],
    source: 'FINRA Rule 4210(c)',
    text:
      'After a purchase, the equity in a margin account must stay at or above 25 percent of the current market value of the long positions. ' +
      'Short positions need at least 30 percent of their market value, or $5.00 per share if greater, for stocks trading at $5 or more; below $5 a share the requirement is the greater of $2.50 per share or 100 percent of the market value. ' +
      'Many brokers set higher house requirements, often 30 to 40 percent, and more for concentrated or volatile positions. ' +
      'If the equity falls below the maintenance requirement the broker issues a maintenance call and may sell positions without notice to restore it.',
  },
  {
    id: 'margin-minimum-equity',
    title: 'Minimum equity for a margin account ($2,000)',
    tags: ['margin account', 'minimum equity', '2000', 'margin'],
    source: 'FINRA Rule 4210(b)',
    text:
      'A customer must deposit at least $2,000 of equity, or the full purchase price if it is less, before buying on margin or selling short. ' +
      'Below $2,000 of equity a margin account can still trade but cannot borrow. ' +
      'Pattern day traders need at least $25,000 instead.',
  },
  {
    id: 'margin-calls',
    title: 'Margin calls and forced liquidation',
    tags: ['margin call', 'liquidation', 'house call', 'fed call', 'maintenance call', 'reg t call'],
    source: 'Regulation T 12 CFR 220.4 and 220.12; FINRA Rule 4210',
    text:
      'A margin call is a demand to deposit cash or marginable securities, or to sell positions, because the account no longer meets a margin requirement. ' +
      'A Regulation T (federal) call arises when a purchase or short sale is not covered by initial margin; a maintenance (house) call arises when the equity falls below the maintenance requirement. ' +
      'A broker may liquidate positions without contacting the customer and without waiting for the call to be due, and the customer owes any deficit left after liquidation. ' +
      'Selling securities to meet a Regulation T call instead of depositing funds may lead to a 90-day restriction at many brokers.',
  },
  {
    id: 'portfolio-margin',
    title: 'Portfolio margin',
    tags: ['portfolio margin', 'risk based margin', 'margin', '100000'],
    source: 'FINRA Rule 4210(g)',
    text:
      'Portfolio margin sets requirements from the modelled loss of the whole portfolio under price moves (for broad-based index products a range of about minus 8 to plus 6 percent, for single stocks plus or minus 15 percent) instead of fixed percentages per position. ' +
      'It is optional, needs broker approval, and requires at least $100,000 of equity; many brokers require more. ' +
      'Hedged portfolios often need much less margin than under Regulation T, but concentrated positions can need more.',
  },
  {
    id: 'settlement-t1',
    title: 'T+1 settlement',
    tags: ['settlement', 't+1', 't1', 'settlement date', 'trade date', 'unsettled'],
    source: 'SEC Rule 15c6-1 (T+1 since 28 May 2024)',
    text:
      'Since 28 May 2024, most US securities trades (stocks, ETFs, corporate and municipal bonds, and options) settle one business day after the trade date, called T+1. ' +
      'Before that the standard cycle was two business days (T+2). ' +
      "On the settlement date the buyer's cash and the seller's securities change hands; until then sale proceeds are unsettled funds. " +
      'A trade on Friday settles on Monday, and a market holiday pushes settlement to the next business day. ' +
      'Settlement matters for cash accounts (good faith and free-riding violations), for the ex-dividend date, and for when sale proceeds can be withdrawn.',
  },
  {
    id: 'cash-account-trading',
    title: 'Trading in a cash account',
    tags: ['cash account', 'settled funds', 'day trading', 'unsettled', 'no margin'],
    source: 'Regulation T 12 CFR 220.8',
    text:
      'In a cash account every purchase must be paid in full with settled cash, or with proceeds of a sale that settle by the time the purchase settles. ' +
      'The pattern day trader rule does not apply to cash accounts, so a cash account may day trade as often as its settled funds allow. ' +
      'A cash account cannot sell short and cannot borrow; selling a stock that is not held is refused. ' +
      'Using unsettled proceeds carelessly leads to good faith violations or free-riding, which restrict the account.',
  },
  {
    id: 'good-faith-violation',
    title: 'Good faith violation (cash accounts)',
    tags: ['good faith violation', 'gfv', 'cash account', 'unsettled funds', 'restriction'],
    source: 'Regulation T 12 CFR 220.8; broker policy',
    text:
      'A good faith violation happens in a cash account when a security bought with unsettled funds is sold before those funds settle. ' +
      "For example, sell stock A on Monday (proceeds settle Tuesday), buy stock B on Monday with the proceeds, and sell stock B on Monday before A's proceeds settle: that sale of B is a good faith violation. " +
      'Selling B after the funds used to buy it have settled is not a violation. ' +
      'Brokers commonly restrict an account for 90 days to buying only with settled cash after three good faith violations in a rolling twelve months.',
  },
  {
    id: 'free-riding',
    title: 'Free-riding violation (cash accounts)',
    tags: ['free riding', 'freeriding', 'cash account', 'unpaid', 'freeze', '90 days'],
    source: 'Regulation T 12 CFR 220.8(c)',
    text:
      'Free-riding is buying a security in a cash account and paying for it with the proceeds of selling that same security, without ever putting up the money. ' +
      'Regulation T requires the broker to freeze the account for 90 calendar days after a free-riding violation, during which every purchase must be fully paid with settled cash on the trade date. ' +
      'Paying for the purchase with other funds by the settlement date avoids the violation.',
  },
  {
    id: 'wash-sale',
    title: 'Wash sale rule',
    tags: ['wash sale', 'tax', 'loss', '30 days', 'cost basis', 'substantially identical'],
    source: 'Internal Revenue Code section 1091; IRS Publication 550',
    text:
      'A loss on the sale of a stock or security is disallowed for taxes if substantially identical securities are bought within 30 days before or after the sale, a 61-day window. ' +
      'The disallowed loss is added to the cost basis of the replacement shares, and the holding period of the sold shares carries over, so the loss is deferred rather than lost. ' +
      'Buying call options on the same stock, or buying in another account of the taxpayer or their spouse, also triggers the rule. ' +
      'A replacement bought in an IRA makes the loss permanently lost, because the basis in the IRA is not increased (Revenue Ruling 2008-5). ' +
      'Brokers report wash sales on Form 1099-B only for identical securities in the same account; the taxpayer is responsible for the rest. ' +
      'Gains are never deferred by the rule; it only affects losses.',
  },
  {
    id: 'ssr-rule-201',
    title: 'Short sale restriction (Rule 201, alternative uptick rule)',
    tags: ['ssr', 'short sale restriction', 'rule 201', 'uptick rule', 'short', 'national best bid', '10 percent'],
    source: 'SEC Regulation SHO Rule 201',
    text:
      "When a stock falls 10 percent or more below its previous day's closing price, a short sale price test restriction is triggered for the rest of that day and the whole next trading day. " +
      'While the restriction is in force, short sales may only be executed or displayed at a price above the current national best bid, so a short sale cannot hit the bid. ' +
      'Market short sales are therefore rejected or held by most brokers, and short limit orders at or below the bid will not execute. ' +
      "Selling shares you own (a long sale) is not restricted, and some orders may be marked short exempt under the rule's exceptions. " +
      'The restriction applies to all NMS stocks, whatever the exchange that lists them.',
  },
  {
    id: 'locate-requirement',
    title: 'Locate and close-out requirements for short sales (Regulation SHO)',
    tags: ['locate', 'short sale', 'reg sho', 'borrow', 'hard to borrow', 'fail to deliver', 'rule 203', 'rule 204'],
    source: 'SEC Regulation SHO Rules 200, 203(b) and 204',
    text:
      'Before accepting a short sale order, a broker must borrow the shares, arrange to borrow them, or have reasonable grounds to believe they can be borrowed for delivery when due, and must document this locate. ' +
      "Stocks on the broker's easy-to-borrow list can usually be shorted at once; hard-to-borrow stocks need a specific locate and often carry a borrow fee. " +
      'Every sell order must be marked long, short or short exempt. ' +
      'If a short sale fails to deliver, Rule 204 requires the position to be closed out by the start of regular trading on the day after the settlement date, by buying or borrowing shares.',
  },
  {
    id: 'short-selling-basics',
    title: 'Short selling basics',
    tags: ['short selling', 'short', 'borrow', 'cover', 'short squeeze', 'dividend', 'margin'],
    source: 'Regulation SHO; Regulation T 12 CFR 220.12(c)',
    text:
      'Selling short means selling borrowed shares and buying them back later to return them, profiting if the price falls. ' +
      'Short selling requires a margin account and an initial margin of 150 percent of the sale value under Regulation T. ' +
      'The short seller pays any dividends (payments in lieu) and borrow fees, and the lender may recall the shares, forcing a buy-in. ' +
      'Losses are unlimited because the price can rise without limit, and a short squeeze can force many shorts to cover at once.',
  },
  {
    id: 'order-market',
    title: 'Market orders',
    tags: ['market order', 'order type', 'slippage', 'execution'],
    source: 'SEC investor bulletin on order types; FINRA Rule 5310',
    text:
      'A market order buys or sells immediately at the best available price, which guarantees execution but not price. ' +
      'In fast or thin markets, and at the open, a market order can fill far from the last quoted price (slippage). ' +
      'Most brokers accept market orders only during regular trading hours; one entered outside them waits for the next open, where the opening price may have gapped. ' +
      'A large market order can walk the book and fill at several prices.',
  },
  {
    id: 'order-limit',
    title: 'Limit orders',
    tags: ['limit order', 'order type', 'limit price', 'price protection'],
    source: 'SEC investor bulletin on order types; Regulation NMS Rule 604',
    text:
      'A limit order buys at the limit price or lower, or sells at the limit price or higher, which guarantees the price but not execution. ' +
      'A buy limit above the current ask (or a sell limit below the bid) is marketable and executes at once at the best available prices. ' +
      'A limit order may fill partly, or not at all if the market never reaches the limit. ' +
      'Limit orders are the order type accepted in extended-hours sessions.',
  },
  {
    id: 'order-stop',
    title: 'Stop orders (stop-loss)',
    tags: ['stop order', 'stop loss', 'stop', 'order type', 'trigger', 'gap'],
    source: 'SEC investor bulletin on stop and stop-limit orders',
    text:
      'A stop order becomes a market order once the stop price is reached: a sell stop below the market triggers when the price trades at or below the stop, and a buy stop above the market triggers when it trades at or above the stop. ' +
      'After the trigger it fills at the next available price, which can be far below a sell stop when the price gaps, for example at the open after bad news. ' +
      'Stops are usually triggered only during regular trading hours. ' +
      'A stop order protects against further losses but does not guarantee the exit price.',
  },
  {
    id: 'order-stop-limit',
    title: 'Stop-limit orders',
    tags: ['stop limit', 'stop-limit order', 'order type', 'trigger', 'limit price'],
    source: 'SEC investor bulletin on stop and stop-limit orders',
    text:
      'A stop-limit order becomes a limit order at its limit price once the stop price is reached. ' +
      'It avoids filling at a bad price after a gap, but it may not fill at all if the price moves through the limit, leaving the position unprotected. ' +
      'It needs two prices: the stop price that triggers it and the limit price that bounds the fill.',
  },
  {
    id: 'order-trailing-stop',
    title: 'Trailing stop orders',
    tags: ['trailing stop', 'order type', 'stop', 'trail'],
    source: 'Broker order type definitions (FINRA investor insights)',
    text:
      'A trailing stop is a stop order whose stop price follows the market by a fixed amount or percentage: for a sell trailing stop it rises as the price makes new highs and never falls. ' +
      'When the price falls back by the trail amount, the stop triggers and becomes a market order (or a limit order for a trailing stop-limit). ' +
      'Like other stops it can fill below the stop price after a gap.',
  },
  {
    id: 'order-bracket-oco',
    title: 'Bracket, OCO and OTO orders',
    tags: ['bracket order', 'oco', 'one cancels other', 'oto', 'take profit', 'stop loss', 'order type'],
    source: 'Broker order type definitions',
    text:
      'A one-cancels-other (OCO) pair links two orders so that when one fills the other is cancelled, such as a take-profit limit above the market and a stop-loss below it. ' +
      'A one-triggers-other (OTO) order sends a second order only after the first fills. ' +
      'A bracket order combines them: an entry order which, once filled, places a take-profit limit and a stop-loss as an OCO pair. ' +
      'If the position is closed manually, the remaining bracket orders should be cancelled so they do not open a new position.',
  },
  {
    id: 'time-in-force',
    title: 'Time in force: DAY, GTC, IOC, FOK and others',
    tags: [
      'time in force',
      'day order',
      'gtc',
      'good til canceled',
      'ioc',
      'immediate or cancel',
      'fok',
      'fill or kill',
      'moc',
      'opg',
    ],
    source: 'Broker and exchange order definitions (NYSE, Nasdaq)',
    text:
      'A DAY order expires at the end of the regular session if it has not filled. ' +
      'A good-til-canceled (GTC) order stays open across days until it fills or is cancelled, usually up to a broker limit of 60 to 180 days. ' +
      'Immediate-or-cancel (IOC) fills whatever it can at once and cancels the rest; fill-or-kill (FOK) fills the whole quantity at once or nothing. ' +
      'All-or-none (AON) waits until the whole quantity can fill. ' +
      'Market-on-open and market-on-close orders execute in the opening or closing auction; closing auction orders are due by 3:50 p.m. Eastern on NYSE and Nasdaq.',
  },
  {
    id: 'trading-hours',
    title: 'Trading hours, extended hours and holidays',
    tags: [
      'trading hours',
      'market hours',
      'pre-market',
      'premarket',
      'after hours',
      'extended hours',
      'holiday',
      'open',
      'close',
    ],
    source: 'NYSE and Nasdaq rules and holiday calendars',
    text:
      'The regular session of US stock exchanges runs from 9:30 a.m. to 4:00 p.m. Eastern time, Monday to Friday, except exchange holidays. ' +
      'Pre-market trading runs from as early as 4:00 a.m. and after-hours trading until 8:00 p.m. Eastern, and some brokers also offer overnight sessions through alternative trading systems. ' +
      'Extended-hours sessions have less liquidity, wider spreads and sharper moves; most brokers accept only limit orders in them, and stop orders are not triggered. ' +
      "The exchanges close for New Year's Day, Martin Luther King Jr. Day, Presidents' Day, Good Friday, Memorial Day, Juneteenth, Independence Day, Labor Day, Thanksgiving and Christmas, and close early at 1:00 p.m. on some days around July 4, Thanksgiving and Christmas.",
  },
  {
    id: 'luld',
    title: 'Limit Up-Limit Down (LULD) trading pauses',
    tags: ['luld', 'limit up limit down', 'trading pause', 'halt', 'price band', 'volatility'],
    source: 'Regulation NMS Plan to Address Extraordinary Market Volatility (LULD Plan)',
    text:
      'Limit Up-Limit Down keeps trades in each NMS stock within price bands around a reference price, the average price over the preceding five minutes. ' +
      'For stocks above $3.00 the band is 5 percent for Tier 1 stocks (S&P 500, Russell 1000 and some ETPs) and 10 percent for Tier 2 stocks; stocks from $0.75 to $3.00 have 20 percent bands, and cheaper ones the lesser of $0.15 or 75 percent. ' +
      'The bands are doubled during the first 15 minutes of the session, and in the last 25 minutes for Tier 2 stocks priced at $3.00 or less. ' +
      'If the price sits at a band (a limit state) for 15 seconds, the listing exchange declares a five-minute trading pause, followed by a reopening auction. ' +
      'Orders priced outside the bands are not executed and may be rejected or repriced.',
  },
  {
    id: 'market-wide-circuit-breakers',
    title: 'Market-wide circuit breakers (7%, 13%, 20%)',
    tags: ['circuit breaker', 'market wide', 'halt', 's&p 500', 'crash', 'level 1', 'level 2', 'level 3'],
    source: 'NYSE Rule 7.12; Nasdaq Rule 4121',
    text:
      "Market-wide circuit breakers halt trading in all US stocks when the S&P 500 falls from the previous day's close by 7 percent (Level 1), 13 percent (Level 2) or 20 percent (Level 3). " +
      'A Level 1 or Level 2 decline before 3:25 p.m. Eastern halts trading for 15 minutes; at or after 3:25 p.m. it does not halt trading. ' +
      'A Level 3 decline at any time halts trading for the rest of the day. ' +
      'Each level can trigger at most once a day; the breakers fired on four days in March 2020.',
  },
  {
    id: 'trading-halts',
    title: 'Trading halts in a single stock',
    tags: ['halt', 'trading halt', 'news pending', 'suspension', 'resume', 'reopening'],
    source: 'Listing exchange rules (NYSE, Nasdaq); Securities Exchange Act section 12(k)',
    text:
      'The listing exchange can halt trading in a stock, commonly for news pending (so material news can spread), for a LULD pause, or for regulatory concerns. ' +
      'No trades execute during a halt; open orders are held for the reopening auction or cancelled, depending on the broker and order type. ' +
      'The SEC can also suspend trading in a stock for up to ten business days. ' +
      'Prices often gap when trading resumes, so stop orders can fill far from their stop prices.',
  },
  {
    id: 'options-basics',
    title: 'Options basics: calls, puts, American and European exercise',
    tags: ['options', 'call', 'put', 'american', 'european', 'exercise', 'expiration', 'contract', 'premium'],
    source: 'OCC Characteristics and Risks of Standardized Options',
    text:
      'A call gives the right to buy, and a put the right to sell, 100 shares of the underlying at the strike price until expiration; the buyer pays a premium for that right. ' +
      'American-style options, which includes most stock and ETF options, can be exercised on any business day up to expiration. ' +
      'European-style options, such as most cash-settled index options like SPX, NDX and RUT, can be exercised only at expiration. ' +
      'Standard monthly options expire on the third Friday of the month, and many underlyings also have weekly and daily expirations. ' +
      'Stock options settle by delivering shares; index options settle in cash. ' +
      'Options trades settle T+1, and long options with nine months or less to expiration must be paid in full.',
  },
  {
    id: 'options-assignment',
    title: 'Option exercise and assignment',
    tags: [
      'assignment',
      'exercise',
      'options',
      'early assignment',
      'expiration',
      'in the money',
      'ex-dividend',
      'pin risk',
    ],
    source: 'OCC Rules 801 and 805 (exercise by exception)',
    text:
      'When an option is exercised, the Options Clearing Corporation assigns it at random to a clearing member with a short position, and the broker assigns it to one of its customers, at random or first-in first-out. ' +
      'A writer of an American-style option can be assigned on any day before expiration, not only at expiration. ' +
      'At expiration, options that are at least $0.01 in the money are exercised automatically unless the holder instructs otherwise (exercise by exception). ' +
      'Short calls risk early assignment the day before an ex-dividend date when the remaining time value is less than the dividend. ' +
      'Assignment of a short call delivers shares (a short stock position if none are held); assignment of a short put buys shares.',
  },
  {
    id: 'options-margin-approval',
    title: 'Options approval levels and margin on short options',
    tags: ['options approval', 'options level', 'naked', 'uncovered', 'spread', 'options margin'],
    source: 'FINRA Rules 2360 and 4210(f)(2)',
    text:
      'Brokers approve customers for options trading by level: covered calls and cash-secured puts first, then buying options, then spreads, and uncovered (naked) writing last. ' +
      'Spreads and uncovered options require a margin account. ' +
      'An uncovered equity option requires the premium received plus 20 percent of the underlying value, less any out-of-the-money amount, with a minimum of 10 percent of the underlying value for calls or of the strike price for puts. ' +
      'A defined-risk spread requires at most its maximum loss.',
  },
  {
    id: 'holding-period-taxes',
    title: 'Holding period: short-term and long-term capital gains',
    tags: ['capital gains', 'tax', 'holding period', 'short term', 'long term', 'one year'],
    source: 'Internal Revenue Code sections 1222 and 1(h); IRS Publication 550',
    text:
      'A gain on a security held for more than one year is a long-term capital gain, taxed at preferential rates; held for one year or less it is short-term and taxed as ordinary income. ' +
      'The holding period starts the day after the trade date and includes the day of sale; the settlement date does not matter. ' +
      'Capital losses offset gains, and up to $3,000 a year of net loss can offset ordinary income, with the rest carried forward.',
  },
  {
    id: 'ex-dividend',
    title: 'Ex-dividend date and dividends',
    tags: ['dividend', 'ex-dividend', 'record date', 'payment date', 'ex date'],
    source: 'FINRA Rule 11140; FINRA Rule 5330',
    text:
      'To receive a dividend you must own the stock before the ex-dividend date; buying on or after the ex-dividend date does not earn it. ' +
      'With T+1 settlement the ex-dividend date is normally the same day as the record date. ' +
      'The share price usually opens lower by about the dividend amount on the ex-dividend date. ' +
      'Open buy limit and sell stop orders may be reduced by the dividend amount on the ex-date unless marked do not reduce.',
  },
  {
    id: 'best-execution-nbbo',
    title: 'Best execution and the national best bid and offer',
    tags: ['best execution', 'nbbo', 'national best bid', 'order protection', 'payment for order flow', 'reg nms'],
    source: 'FINRA Rule 5310; Regulation NMS Rules 611 and 606',
    text:
      'Brokers must seek the most favourable terms reasonably available for customer orders (best execution). ' +
      'The national best bid and offer (NBBO) is the highest bid and lowest offer across all exchanges, and the order protection rule stops most trades from executing at prices worse than protected quotes on other exchanges. ' +
      'Brokers publish how they route orders and any payment for order flow they receive in quarterly Rule 606 reports.',
  },
];
