// Messages that are only a greeting, thanks, an "OK" or goodbye ("你好", "谢谢老师", "好的",
// "拜拜"): they ask nothing, so they get a reply in kind instead of "the essays do not cover this".

export type SmallTalk = 'greeting' | 'thanks' | 'ack' | 'farewell';

// who is addressed, before or after the words themselves
const WHO = '(?:各位|老师们|老师|同志|朋友|小助手|助手|机器人|智理|大家|您|你)';
const ADDRESS = `${WHO}?`;
const PARTICLES = '(?:呀|啊|哈|哦|呢|啦|了|嘛)*';
const GREETING = new RegExp(`^${ADDRESS}(?:您好|你好|早上好|上午好|中午好|下午好|晚上好|在吗|在不在|有人吗|hi|hello|hey|嗨|哈喽|哈啰)${ADDRESS}${PARTICLES}$|^${WHO}+(?:好|早)${PARTICLES}$`, 'i');
const THANKS = new RegExp(`^(?:好的|好|嗯|明白了?|懂了|知道了)?${ADDRESS}(?:谢谢|多谢|感谢|谢了|谢啦|辛苦了|辛苦|thanks|thankyou|thx)${ADDRESS}${PARTICLES}$`, 'i');
const ACK = new RegExp(`^(?:好的|好吧|好滴|好|嗯嗯|嗯|哦哦|哦|明白了?|懂了|知道了|收到|了解了?|ok|okay)${PARTICLES}$`, 'i');
const FAREWELL = new RegExp(`^(?:好的|好)?${ADDRESS}(?:再见|拜拜|回头见|下次见|晚安|bye|byebye|goodbye)${ADDRESS}${PARTICLES}$`, 'i');

/** The kind of small talk a message is, or undefined when it says (or asks) anything else. */
export function smallTalkOf(message: string): SmallTalk | undefined {
  const bare = message.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
  if (bare === '' || bare.length > 16) return undefined;
  if (GREETING.test(bare)) return 'greeting';
  if (THANKS.test(bare)) return 'thanks';
  if (FAREWELL.test(bare)) return 'farewell';
  if (ACK.test(bare)) return 'ack';
  return undefined;
}
