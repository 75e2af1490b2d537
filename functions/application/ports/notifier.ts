/** Port: where product messages go (SNS in AWS, the outbox file in local `nightly` runs, memory in tests). */
import type { OutgoingMessage } from '../../core/messages.ts';

/** Delivers one message; throws when it could not be delivered. */
export interface Notifier {
  publish(message: OutgoingMessage): Promise<void>;
}
