import { describe, expect, it } from 'vitest';
import { stripReply } from './strip-reply';

describe('stripReply', () => {
  it('cuts Gmail and Apple Mail quoted history', () => {
    const mail = 'Thanks, that worked!\n\nOn Tue, 3 Dec 2026 at 10:00, Support <help@acme.test> wrote:\n> Try restarting.\n> Ada';
    expect(stripReply(mail)).toEqual({ text: 'Thanks, that worked!', stripped: true });
  });

  it('cuts a reply header wrapped over two lines', () => {
    const mail = 'Still broken.\n\nOn Tue, 3 Dec 2026 at 10:00, Support Team of Acme <help@acme.test>\nwrote:\n> Try restarting.';
    expect(stripReply(mail).text).toBe('Still broken.');
  });

  it('cuts an Outlook header block', () => {
    const mail =
      'Here is the invoice.\r\n\r\nFrom: Support <help@acme.test>\r\nSent: Tuesday, December 3, 2026 10:00\r\nTo: me\r\nSubject: RE: invoice\r\n\r\nold text';
    expect(stripReply(mail).text).toBe('Here is the invoice.');
  });

  it('cuts German and French headers', () => {
    expect(stripReply('Danke!\n\nAm 03.12.2026 um 10:00 schrieb Support <h@a.test>:\n> alt').text).toBe('Danke!');
    expect(stripReply('Merci !\n\nLe mar. 3 déc. 2026 à 10:00, Support <h@a.test> a écrit :\n> vieux').text).toBe('Merci !');
  });

  it('cuts signatures after the delimiter and phone sign-offs', () => {
    expect(stripReply('Yes please.\n\n-- \nMaria Lopez\nLopez Design').text).toBe('Yes please.');
    expect(stripReply('On my way.\n\nSent from my iPhone').text).toBe('On my way.');
  });

  it('drops a trailing quote but keeps inline answers between quotes', () => {
    expect(stripReply('Done.\n\n> earlier\n> text\n').text).toBe('Done.');
    const inline = '> Which plan?\nThe yearly one.\n> And the seats?\nTen.';
    expect(stripReply(inline).text).toBe(inline);
  });

  it('keeps a mail that is only a quote rather than storing nothing', () => {
    expect(stripReply('> only a quote')).toEqual({ text: '> only a quote', stripped: false });
  });

  it('leaves a plain mail as it is', () => {
    expect(stripReply('Hello,\nmy order #42 has not arrived.\nMaria')).toEqual({
      text: 'Hello,\nmy order #42 has not arrived.\nMaria',
      stripped: false,
    });
  });
});
