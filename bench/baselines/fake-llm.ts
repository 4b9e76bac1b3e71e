/** A loopback OpenAI-compatible server for the bot benchmark: every answer starts after a fixed delay. */
import { startFakeOpenAI } from '../../tests/helpers/fake-openai';

const delayMs = Number(process.env.FAKE_LLM_DELAY_MS ?? 200);
const llm = await startFakeOpenAI();
llm.reply = () => ({ text: 'From our help center: choose Forgot password on the sign-in page. [1]', delayMs, chunkDelayMs: 5 });
console.log(`listening on ${new URL(llm.url).port}`);
