import { describe, expect, it } from 'vitest';
import { smallTalkOf } from '../../src/answer/small-talk.ts';

describe('small talk', () => {
  it('reads a greeting, thanks, an OK and goodbye, however addressed and punctuated', () => {
    expect(smallTalkOf('你好')).toBe('greeting');
    expect(smallTalkOf('老师好!')).toBe('greeting');
    expect(smallTalkOf('Hello')).toBe('greeting');
    expect(smallTalkOf('在吗?')).toBe('greeting');
    expect(smallTalkOf('谢谢老师!')).toBe('thanks');
    expect(smallTalkOf('好的,谢谢')).toBe('thanks');
    expect(smallTalkOf('好的')).toBe('ack');
    expect(smallTalkOf('明白了')).toBe('ack');
    expect(smallTalkOf('拜拜~')).toBe('farewell');
  });

  it('leaves anything that says or asks more to be answered', () => {
    expect(smallTalkOf('你好,天津社区工作者是怎么招聘的?')).toBeUndefined();
    expect(smallTalkOf('谢谢,那具体应该怎么做?')).toBeUndefined();
    expect(smallTalkOf('大家好我是考生')).toBeUndefined();
    expect(smallTalkOf('社区好不好')).toBeUndefined();
    expect(smallTalkOf('')).toBeUndefined();
  });
});
