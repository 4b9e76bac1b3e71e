// What a customer's message says about the bot's last answer, in the languages we ship. Kept as word
// lists so support teams can read and extend them; the LLM is never needed to hand off.

const UNHELPFUL = [
  /\b(didn'?t|did not|doesn'?t|does not|not)\s+(help|work|answer)/i,
  /\b(not helpful|useless|wrong answer|that'?s not what i (asked|meant)|still (broken|not working|doesn'?t work))\b/i,
  /^\s*(no|nope|nah)\b[\s.!]*$/i,
  /\b(hilft|half|funktioniert) (mir )?nicht\b/i,
  /\b(nicht hilfreich|bringt nichts|falsche antwort|das meinte ich nicht)\b/i,
  /^\s*(nein|ne)\b[\s.!]*$/i,
];

/** Requests for a person live in person-request.ts (one list, every language); kept under this name too. */
export { asksForPerson as asksForHuman } from './person-request';
export const saysUnhelpful = (text: string) => UNHELPFUL.some((r) => r.test(text));
