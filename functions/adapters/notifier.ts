/**
 * Delivers product messages: to SNS (`MessageStructure: json`, readable text for e-mail, the JSON event for
 * every other protocol, attributes for filter policies), or to an outbox file in local `nightly` runs.
 */
import { appendFile } from 'node:fs/promises';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { OutgoingMessage } from '../core/messages.ts';
import { translateAwsError } from './aws-errors.ts';

/** Port: where messages go. */
export interface Notifier {
  publish(message: OutgoingMessage): Promise<void>;
}

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

/** Appends each message as one JSON line `{ subject, attributes, event }` (DESIGN §5.4, nightly mode). */
export class OutboxNotifier implements Notifier {
  constructor(private readonly path: string) {}

  async publish(message: OutgoingMessage): Promise<void> {
    const line = { subject: message.subject, attributes: message.attributes, event: message.event };
    await appendFile(this.path, `${JSON.stringify(line)}\n`);
  }
}
