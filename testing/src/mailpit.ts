/**
 * Mailpit's inbox as an operator reads it, through its HTTP API:
 * https://mailpit.axllent.org/docs/api-v1/
 */

export interface Email {
  readonly subject: string;
  /** When Mailpit received it. */
  readonly received: Date;
}

interface MailpitMessage {
  readonly Subject: string;
  readonly Created: string;
  readonly To: ReadonlyArray<{ readonly Address: string }>;
}

/** Every message sent to `recipient`, newest first (Mailpit's order). */
export async function inbox(mailpitUrl: string, recipient: string): Promise<Email[]> {
  const response = await fetch(`${mailpitUrl}/api/v1/messages?limit=500`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`Mailpit answered HTTP ${response.status}`);
  const { messages } = (await response.json()) as { messages: MailpitMessage[] };
  return messages
    .filter((message) => message.To.some(({ Address }) => Address === recipient))
    .map((message) => ({ subject: message.Subject, received: new Date(message.Created) }));
}
