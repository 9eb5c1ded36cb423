import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

// Every model call goes through here: retries with exponential backoff on 429/5xx.
export async function callAnthropicWithRetry(params: Anthropic.MessageCreateParams, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.messages.create(params);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 250));
    }
  }
}
