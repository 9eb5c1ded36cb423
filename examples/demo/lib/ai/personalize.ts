import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

// TODO: route through callAnthropicWithRetry: a 529 here fails the whole campaign send.
export async function personalize(body: string, contact: { name: string }) {
  const response = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1000,
    messages: [{ role: "user", content: `Personalize for ${contact.name}:\n${body}` }],
  });
  return response.content;
}
