/**
 * Words that say how a customer asks, not what about: "I want to…", "how can I get…", "ich möchte…".
 * They pass the Snowball stop lists, and in a small knowledge base their idf is high only because few
 * articles happen to use them, so a long article full of them beat a short on-topic one. A question
 * word in this list still counts, at a small weight, and never towards the bot's confidence.
 * Per language (the first two letters of the locale); not tuned to any article.
 */
const FILLER: Record<string, string> = {
  en:
    'want wants wanted need needs needed get gets getting got make makes making made like know tell ' +
    'please pls plz help thing things something anything someone somebody anymore also still really ' +
    'possible able way ways go goes going hi hello hey thanks thank ok okay yes no im ive dont cant ' +
    'doesnt didnt wont isnt us put let try trying tried now just good anyone everything ' +
    'anywhere somewhere where guys question work works',
  de:
    'bitte möchte möchten will wollen brauche brauchen gibt geht gehen machen mache macht kann kannst ' +
    'könnt können muss müssen hallo danke hilfe helfen irgendwie etwas was jemand mehr noch schon mal ' +
    'einfach eigentlich genau möglich funktioniert klappt gut ja nein frage wo gerade immer jetzt',
  fr: 'veux voudrais besoin faire comment merci bonjour svp aide possible peux',
  es: 'quiero necesito hacer cómo gracias hola ayuda posible puedo favor',
  pt: 'quero preciso fazer como obrigado olá ajuda possível posso favor',
};

const SETS = new Map(Object.entries(FILLER).map(([l, words]) => [l, new Set(words.split(' '))]));

export const isFillerWord = (locale: string, word: string) => SETS.get(locale.slice(0, 2))?.has(word) ?? false;
