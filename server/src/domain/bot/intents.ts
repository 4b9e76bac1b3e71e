// What a customer's message says about the conversation itself, in the languages we ship. Kept as
// word lists so support teams can read and extend them; the LLM is never needed to hand off.

const HUMAN = [
  // en
  /\b(talk|speak|chat|connect)\b.{0,30}\b(human|person|agent|someone|somebody|representative|real|staff|operator)\b/i,
  /\b(human|real person|live agent|representative|operator)\b/i,
  /^\s*(agent|human|person)\s*[.!?]*\s*$/i,
  // de
  /\b(mensch|mitarbeiter(in)?|menschen|echte[nm]? person|kundendienst|support.?mitarbeiter)\b/i,
  /\b(mit (einer|einem) (person|menschen|mitarbeiter))\b/i,
  // fr / es / pt
  /\b(parler (à|a) (un|une) (humain|personne|conseiller|agent))\b/i,
  /\b(hablar con (una persona|un humano|un agente|alguien))\b/i,
  /\b(falar com (uma pessoa|um humano|um atendente|algu[eé]m))\b/i,
];

const UNHELPFUL = [
  /\b(didn'?t|did not|doesn'?t|does not|not)\s+(help|work|answer)/i,
  /\b(not helpful|useless|wrong answer|that'?s not what i (asked|meant)|still (broken|not working|doesn'?t work))\b/i,
  /^\s*(no|nope|nah)\b[\s.!]*$/i,
  /\b(hilft|half|funktioniert) (mir )?nicht\b/i,
  /\b(nicht hilfreich|bringt nichts|falsche antwort|das meinte ich nicht)\b/i,
  /^\s*(nein|ne)\b[\s.!]*$/i,
];

export const asksForHuman = (text: string) => HUMAN.some((r) => r.test(text));
export const saysUnhelpful = (text: string) => UNHELPFUL.some((r) => r.test(text));
