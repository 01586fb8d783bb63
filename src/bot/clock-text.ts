// Times as the drill shows them.

/** 2:05 (seconds rounded up, never negative). */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "1 分钟", "3 分钟", "90 秒", "2 分 30 秒". */
export function durationText(seconds: number): string {
  const s = Math.round(seconds * 10) / 10;
  if (s < 60) return `${s} 秒`;
  if (Number.isInteger(s) && s % 60 === 0) return `${s / 60} 分钟`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} 分 ${whole % 60} 秒`;
}

