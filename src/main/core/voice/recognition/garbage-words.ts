/**
 * Frequent English words for the out-of-grammar ("garbage") model: the reference decoder explains every utterance
 * as a loop of these, and speech that is not a command fits this loop better than it fits any command. Written from
 * general word-frequency knowledge, not from the test sentences. Words of the command language, and words that
 * sound the same as one ("by" for "buy"), are removed at load time, so the loop never scores a command word's sound
 * as everyday speech.
 */
export const garbageWords: readonly string[] = `
the of and to in it you that he was for on are with as his they be from or had by hot word but some we can out
other were all there when up use your how said an each she which do their time if will way about many then them
write would like so these her long make thing see him has look more day could go come did number sound no most
people my over know water than call first who may down side been now find new work part take get place made live
where after back little only round man year came show every good me give our under name very through just form
great think say help low line turn cause much mean before move right boy old too same tell does set want air well
also play small end put home read hand port large spell add even land here must big high such follow act why ask
men change went light kind off need house picture try us again animal point mother world near build self earth
father head own page country found answer school grow study still learn plant food sun between keep eye never
let thought city tree cross farm hard start might story saw far sea draw left late run while press close night
real life few north open seem together next white children begin got walk example ease paper group always music
those both mark often letter until mile river car feet care second book carry took science eat room friend began
idea fish mountain once base hear horse cut sure watch color face wood main enough plain girl usual young ready
above ever red list though feel bird soon body dog family direct leave song measure door black class wind
happen complete ship area half rock fire south problem piece told knew pass since top whole king space heard
hour better true during remember step early hold west ground interest reach fast sing listen table travel
less simple several toward war lay against slow center love person serve appear road map rain cold notice voice
unit town fine certain fly fall lead cry dark machine note wait plan figure star box field rest able pound done
beauty drive stood contain front teach week gave green oh develop ocean warm free minute strong special mind
behind clear tail produce fact street inch nothing course stay wheel full force blue object decide surface deep
moon island foot system busy record boat common gold possible plane dry wonder laugh ago ran check game shape
miss brought heat snow tire bring yes distant fill east paint language among hello please thanks okay maybe
`
  .split(/\s+/)
  .filter(Boolean);
