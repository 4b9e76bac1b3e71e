// Requests for a person, in every language the widget speaks (en, de, fr, es, pt): the one list the bot
// uses to hand off without an LLM. Matched on lower-cased text with accents removed, so "später",
// "spater" and "Später" are alike. Each phrase is a pattern a support team can read and extend; the
// tests (person-request.test.ts) hold one or more real phrasings for each.

/** Who a customer may ask for, per language. */
const WHO = {
  en: 'human|humans|person|people|agent|agents|someone|somebody|anyone|anybody|representative|rep|operator|staff|manager|supervisor|colleague|team member|member of (?:your|the) (?:team|staff)|real (?:person|human|one)|customer (?:service|support|care)|support(?: team| staff| agent)?|service desk|help ?desk',
  de: 'mensch|menschen|person|mitarbeiter(?:in|innen)?|jemand(?:em|en)?|berater(?:in)?|ansprechpartner(?:in)?|agent(?:en)?|kundendienst|kundenservice|kundensupport|support|vorgesetzte[nm]?|chef|manager|kollege[n]?|team|echte[nm]? (?:person|menschen?)',
  fr: 'humain|personne|quelqu.?un|conseiller(?:e)?|agent|operateur|operatrice|service client|support|responsable|manager|vrai(?:e)? (?:personne|humain)',
  es: 'persona|humano|alguien|agente|asesor(?:a)?|operador(?:a)?|atencion al cliente|servicio al cliente|soporte|gerente|encargado|responsable|supervisor',
  pt: 'pessoa|humano|alguem|atendente|agente|consultor(?:a)?|operador(?:a)?|atendimento(?: ao cliente)?|suporte|gerente|responsavel|supervisor',
} as const;

const PATTERNS: RegExp[] = [
  // ---- English
  new RegExp(`\\b(talk|speak|chat|connect|put|transfer|pass|get|reach|contact|escalate|forward|hand)\\b.{0,40}\\b(${WHO.en})\\b`),
  new RegExp(`\\b(want|need|like|prefer|request)\\b.{0,20}\\b(a |an |to )?(${WHO.en})\\b`),
  new RegExp(`^\\W*(${WHO.en})\\W*(please|pls|now)?\\W*$`),
  /\b(phone|telephone|hotline)\s*(number|line|support)?\b.{0,30}\b(call|ring|reach|contact)\b/,
  /\b(call|ring|phone)\s+(me|us)\b/,
  /\bcall(ed)?\s+(me\s+)?back\b/,
  /\b(is there|do you have|what is|what's) (a |an |your )?(phone|telephone) (number|line)\b/,
  /\bnumber (i|we) can call\b/,
  /\b(no|stop|not|don'?t want|hate)( the| this| a| talking to a)? (bot|robot|machine|ai)\b/,
  /\bnot a (bot|robot|machine)\b/,
  /\blive (chat|agent|person|support)\b/,
  /\b(member of (your|the) (team|staff)|someone (from|in|on) (your|the) (team|support|staff))\b/,
  /\b(your|the) (support|service) team\b/,
  /\bcontact (support|customer service|you)\b/,
  // ---- German
  new RegExp(
    `\\b(sprechen|reden|verbinden|verbinde|chatten|weiterleiten|durchstellen|kontaktieren|erreichen)\\b.{0,40}\\b(${WHO.de})\\b`,
  ),
  new RegExp(`\\b(${WHO.de})\\b.{0,40}\\b(sprechen|reden|verbinden|chatten|kontaktieren|erreichen|sprechen\\?)\\b`),
  new RegExp(`\\b(brauche|moechte|mochte|will|hatte gern|haette gern|wunsche|wuensche)\\b.{0,25}\\b(${WHO.de})\\b`),
  new RegExp(`^\\W*(${WHO.de})\\W*(bitte|jetzt|sofort)?\\W*$`),
  /\b(telefonnummer|hotline|telefonisch|rufnummer)\b/,
  /\b(ruf|rufen sie|ruft)\b.{0,20}\b(mich|uns)\b.{0,20}\b(an|zuruck|zurueck)\b/,
  /\b(anrufen|zuruckrufen|zurueckrufen|ruckruf|rueckruf)\b/,
  /\b(kein(en)?|nicht mit (dem|einem)) (bot|roboter|chatbot|maschine)\b/,
  /\bsupport kontaktieren\b/,
  // ---- French
  new RegExp(
    `\\b(parler|discuter|joindre|contacter|passer|transferer|mettre en relation|mettez moi en relation|mettez-moi en relation)\\b.{0,40}\\b(${WHO.fr})\\b`,
  ),
  new RegExp(`\\b(je veux|je voudrais|je souhaite|j ?aimerais|il me faut)\\b.{0,25}\\b(${WHO.fr})\\b`),
  new RegExp(`^\\W*(un |une )?(${WHO.fr})\\W*(svp|s'il vous plait|stp)?\\W*$`),
  /\b(numero de telephone|telephone|hotline)\b/,
  /\b(rappeler|rappelez|appelez moi|appelez-moi|m'appeler|me rappeler)\b/,
  /\b(pas (de|un) (bot|robot))\b/,
  // ---- Spanish
  new RegExp(`\\b(hablar|conversar|comunicar|pasar|paseme|pasame|transferir|contactar|comunicarme)\\b.{0,40}\\b(${WHO.es})\\b`),
  new RegExp(`\\b(quiero|necesito|quisiera|me gustaria)\\b.{0,25}\\b(${WHO.es})\\b`),
  new RegExp(`^\\W*(un |una )?(${WHO.es})\\W*(por favor|porfa)?\\W*$`),
  /\b(numero de telefono|telefono|llamar|llamarme|llameme|llamame|me llame)\b/,
  /\b(no quiero (un |el )?(bot|robot))\b/,
  // ---- Portuguese
  new RegExp(`\\b(falar|conversar|passar|passe|transferir|contatar|contactar|ligar)\\b.{0,40}\\b(${WHO.pt})\\b`),
  new RegExp(`\\b(quero|preciso|gostaria)\\b.{0,25}\\b(${WHO.pt})\\b`),
  new RegExp(`^\\W*(um |uma )?(${WHO.pt})\\W*(por favor)?\\W*$`),
  /\b(numero de telefone|telefone|me ligar|me ligue|ligar de volta|ligue para mim)\b/,
  /\b(nao quero (um |o )?(bot|robo))\b/,
];

/** Lower case, accents removed, curly apostrophes straightened: the form the patterns are written for. */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the customer's message asks to reach a person (in any of the widget's languages). */
export function asksForPerson(text: string): boolean {
  const t = normalise(text).slice(0, 500);
  return PATTERNS.some((p) => p.test(t));
}
