/**
 * A message about the customer's own record: an order or invoice number ("#58213", "Nr. 58213",
 * "order 58213") or a sum of money ("89 euros", "€89"). The bot cannot look records up, and an article
 * that shares a few words with such a message ("order", "charge") answers something else, so these go
 * to a person. Language-neutral patterns plus the record nouns of the languages the widget speaks.
 */
const NUMBERED = /(?:#|\bn[or]\.|\bnum(?:ber|ero|éro)?\b|\bnummer\b|\bnº)\s*\d{3,}/iu;
const RECORD_NOUN_NUMBER =
  /\b(?:order|invoice|ticket|case|booking|bestellung|rechnung|auftrag|commande|facture|pedido|factura|encomenda|fatura)\s*#?\s*\d{3,}\b/iu;
const MONEY =
  /(?:[€$£]\s?\d)|(?:\b\d+(?:[.,]\d+)?\s?(?:€|\$|£|eur|euro|euros|usd|dollars?|gbp|pounds?|chf|franken|reais|r\$)(?![\p{L}]))/iu;

export const mentionsOwnRecord = (text: string) => NUMBERED.test(text) || RECORD_NOUN_NUMBER.test(text) || MONEY.test(text);
