import { Tag } from 'antd';
import { useI18n } from '../i18n/I18nContext';
import { PERIOD_STATUS_COLORS, campaignPhase, type PeriodStatus } from '../lib/campaign';
import { KIND_COLORS, type QuestionKind } from '../lib/question';

export function PeriodStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const s = status as PeriodStatus;
  return <Tag color={PERIOD_STATUS_COLORS[s] ?? 'default'}>{t(`period.${s}` as 'period.OPEN') ?? status}</Tag>;
}

export function CampaignPhaseTag({ campaign, now }: { campaign: { startsAt: string; endsAt: string }; now?: number }) {
  const { t } = useI18n();
  const phase = campaignPhase(campaign, now);
  const color = phase === 'running' ? 'processing' : phase === 'upcoming' ? 'default' : 'default';
  return (
    <Tag color={color} variant={phase === 'ended' ? 'outlined' : undefined}>
      {t(`campaigns.phase.${phase}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useI18n();
  const k = kind as QuestionKind;
  return <Tag color={KIND_COLORS[k] ?? 'default'}>{t(`kind.${k}` as 'kind.SINGLE')}</Tag>;
}
