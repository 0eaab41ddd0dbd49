import type { Lang } from './i18n';

/** A duration as players read it: 42.5秒, 1分05.3秒 / 42.5 s, 1 min 05.3 s. */
export function duration(ms: number, lang: Lang): string {
  const tenths = Math.round(ms / 100);
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  const sec = s.toFixed(1);
  if (lang === 'zh') return m > 0 ? `${m}分${sec.padStart(4, '0')}秒` : `${sec}秒`;
  return m > 0 ? `${m} min ${sec.padStart(4, '0')} s` : `${sec} s`;
}

/** A length of time in the largest whole unit: 7天 / 7 days. */
export function span(seconds: number, lang: Lang): string {
  const units: [number, string, string][] = [
    [86400, '天', 'day'],
    [3600, '小时', 'hour'],
    [60, '分钟', 'minute'],
    [1, '秒', 'second'],
  ];
  for (const [size, zh, en] of units) {
    if (seconds % size === 0 && seconds >= size) {
      const n = seconds / size;
      return lang === 'zh' ? `${n} ${zh}` : `${n} ${en}${n === 1 ? '' : 's'}`;
    }
  }
  return lang === 'zh' ? `${seconds} 秒` : `${seconds} seconds`;
}

/** A date and time in the campaign's time zone. */
export function dateTime(iso: string, timeZone: string, lang: Lang): string {
  const d = new Date(iso);
  try {
    return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: lang === 'zh' ? 'long' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(d);
  } catch {
    return d.toISOString();
  }
}
