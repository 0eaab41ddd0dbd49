import { useEffect, useState } from 'react';
import { Button, Flex, Progress, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/I18nContext';

/** The reveal takes at most this long, however many winners there are. */
export const REVEAL_MS = 3000;
const TICK_MS = 100;

/** How many names each tick shows so that n names take at most REVEAL_MS (one per tick when few). */
export function revealStep(n: number, totalMs = REVEAL_MS, tickMs = TICK_MS): number {
  return Math.max(1, Math.ceil(n / Math.max(1, Math.floor(totalMs / tickMs))));
}

/** 开奖揭晓: the winners' public IDs appear one after another in draw order. */
export function WinnerReveal({ order, winnersCount }: { order: readonly string[]; winnersCount: number }) {
  const { t } = useI18n();
  const winners = order.slice(0, winnersCount);
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (shown >= winners.length) return;
    const id = window.setTimeout(() => setShown((s) => Math.min(winners.length, s + revealStep(winners.length))), TICK_MS);
    return () => window.clearTimeout(id);
  }, [shown, winners.length]);
  const done = shown >= winners.length;
  return (
    <div data-testid="winner-reveal" data-done={done}>
      <Flex align="center" gap={12} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('reveal.title', { shown, n: winners.length })}</Typography.Text>
        <Progress percent={winners.length ? Math.round((shown / winners.length) * 100) : 100} size="small" style={{ width: 160, margin: 0 }} showInfo={false} />
        {!done && (
          <Button size="small" type="link" onClick={() => setShown(winners.length)}>
            {t('reveal.showAll')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={6} style={{ maxHeight: 220, overflow: 'auto' }}>
        {winners.slice(0, shown).map((id, i) => (
          <Tag key={id} color="gold" className="pq-reveal-tag" data-testid="revealed-winner">
            #{i + 1} {id}
          </Tag>
        ))}
      </Flex>
    </div>
  );
}
