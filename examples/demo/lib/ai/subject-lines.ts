import { callAnthropicWithRetry } from "./retry";

export async function suggestSubjectLines(topic: string) {
  const response = await callAnthropicWithRetry({
    model: "claude-sonnet-4-5",
    max_tokens: 300,
    messages: [{ role: "user", content: `Five subject lines about ${topic}` }],
  });
  return response.content;
}
