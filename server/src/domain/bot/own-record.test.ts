import { describe, expect, it } from 'vitest';
import { SEARCH_CASES } from '../../../../db/kb-sample/eval-set';
import { mentionsOwnRecord } from './own-record';

describe('messages about the customer’s own order, invoice or payment', () => {
  it('recognises numbered records and sums of money in the widget’s languages', () => {
    for (const text of [
      'Where is my order #58213?',
      'Wo ist meine Bestellung Nr. 58213?',
      'my invoice 4471 shows the wrong company name',
      'I dispute the charge of 89 euros on my credit card statement',
      'ich widerspreche der abbuchung von 89 euro',
      'you took €12.50 twice',
      'où est ma commande 77812',
      'mi pedido 99123 no llegó',
    ])
      expect(mentionsOwnRecord(text), text).toBe(true);
  });

  it('leaves general questions alone, numbers included', () => {
    for (const text of [
      'my 2fa codes are gone',
      'the 6 digit code',
      'set up invoice numbering',
      'invoice in usd',
      'refund for 2024',
    ])
      expect(mentionsOwnRecord(text), text).toBe(false);
    // No answerable question of the evaluation is taken for one about a record.
    expect(SEARCH_CASES.filter((c) => mentionsOwnRecord(c.question)).map((c) => c.question)).toEqual([]);
  });
});
