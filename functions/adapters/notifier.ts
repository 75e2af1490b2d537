/**
 * Delivers product messages: to SNS (`MessageStructure: json`, readable text for e-mail, the JSON event for
 * every other protocol, attributes for filter policies), or to an outbox file in local `nightly` runs.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { crashPoint } from '../shared/crash-point.ts';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { OutgoingMessage } from '../core/messages.ts';
import { translateAwsError } from './aws-errors.ts';
import type { Notifier } from '../application/ports/notifier.ts';

/** The SNS `Message` for `MessageStructure: json`: e-mail gets the text, every other protocol the JSON event. */
export function snsMessageBody(message: OutgoingMessage): string {
  const event = JSON.stringify(message.event);
  return JSON.stringify({
    default: event,
    email: message.event.text,
    'email-json': event,
    sqs: event,
    lambda: event,
    https: event,
    http: event,
  });
}

/** Publishes to an SNS topic. */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: OutgoingMessage): Promise<void> {
    try {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: message.subject,
          MessageStructure: 'json',
          Message: snsMessageBody(message),
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([key, value]) => [key, { DataType: 'String', StringValue: value }]),
          ),
        }),
      );
    } catch (error) {
      throw translateAwsError(error, `SNS Publish to ${this.topicArn}`);
    }
  }
}

/**
 * Appends each message as one JSON line `{ subject, attributes, event }` (DESIGN §5.4, nightly mode). Like a
 * subscriber that de-duplicates, it drops a message whose `event.messageId` is already in the outbox (a claim
 * re-published after a crash between its publish and its mark), so the outbox holds each alert once.
 */
export class OutboxNotifier implements Notifier {
  private ids: Set<string> | null = null;

  constructor(private readonly path: string) {}

  async publish(message: OutgoingMessage): Promise<void> {
    const id = message.event.messageId;
    if (id !== undefined) {
      this.ids ??= await this.readIds();
      if (this.ids.has(id)) return;
      this.ids.add(id);
    }
    const line = { subject: message.subject, attributes: message.attributes, event: message.event };
    await appendFile(this.path, `${JSON.stringify(line)}\n`);
    crashPoint('outbox-line');
  }

  /** The message ids already in the outbox (lines that do not parse, e.g. a torn last line, are skipped). */
  private async readIds(): Promise<Set<string>> {
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const ids = new Set<string>();
    for (const line of text.split('\n')) {
      try {
        const parsed = JSON.parse(line) as { event?: { messageId?: unknown } };
        if (typeof parsed.event?.messageId === 'string') ids.add(parsed.event.messageId);
      } catch {
        // not a whole line
      }
    }
    return ids;
  }
}
