// Work the bot gives itself, such as a drill whose answer time ran out, is fed in as an update
// of its own. It then runs through the same middleware as the user's messages: one update at a
// time per chat, the session loaded and saved, errors caught and answered.
//
// The update is a chat_member update: the kind none of the bot's handlers react to that still
// carries the chat and the user (so the session key is the user's). Only an update made here
// carries an event; a real chat_member update from Telegram never does.
import type { Context } from 'grammy';
import type { Chat, Update, User } from 'grammy/types';

export type OwnEvent = {
  kind: 'drill.time_up';
  /** the drill and question the countdown ran for */
  startedAt: number;
  index: number;
};

const events = new WeakMap<Update, OwnEvent>();
let lastId = 0;

/** Own updates count down from -1, so they never meet Telegram's (positive) update ids. */
export function isOwnUpdateId(updateId: number): boolean {
  return updateId < 0;
}

export function ownUpdate(chat: Chat, from: User, event: OwnEvent): Update {
  lastId -= 1;
  const member = { user: from, status: 'member' as const };
  const update: Update = {
    update_id: lastId,
    chat_member: { chat, from, date: Math.floor(Date.now() / 1000), old_chat_member: member, new_chat_member: member },
  };
  events.set(update, event);
  return update;
}

export function ownEventOf(ctx: Context): OwnEvent | undefined {
  return events.get(ctx.update);
}

/** What a feature may ask of the bot it is plugged into. */
export interface BotHost {
  /** Handles an update made by ownUpdate; never rejects (a failure is logged). */
  handleOwnUpdate(update: Update): Promise<void>;
}
