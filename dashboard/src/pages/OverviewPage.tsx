import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { Badge, Button, Card, Col, Empty, Flex, Row, Select, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import { PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { PageContainer } from '../components/PageContainer';
import { QueryState } from '../components/QueryState';
import { PeriodStatusTag } from '../components/Tags';
import { Countdown, useNow } from '../components/Countdown';
import { useI18n } from '../i18n/I18nContext';
import { useAuth } from '../auth/AuthContext';
import { canEdit } from '../auth/session';
import { formatInTz, formatSeconds, formatWindow } from '../lib/format';
import { currentPeriod } from '../lib/campaign';
import {
  attemptsToday,
  campaignDays,
  completionRate,
  completionsPerMinute,
  formatMedian,
  formatRate,
  recentHours,
  statsCounted,
} from '../lib/stats';
import type { CampaignStatsFieldsFragment } from '../gql/graphql';
import { useCampaignStats, type CampaignStatsFeed } from './overview/useCampaignStats';
import { ActiveCampaignsQuery } from './campaigns/operations';
import { LeaderboardTable } from './leaderboard/LeaderboardTable';
import { useLeaderboard } from './leaderboard/useLeaderboard';
import type { ChartOption } from '../components/EChart';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../components/EChart').then((m) => ({ default: m.EChart })));

function ChartBox({ option, height = 260 }: { option: ChartOption; height?: number }) {
  return (
    <Suspense fallback={<Skeleton active />}>
      <EChart option={option} height={height} />
    </Suspense>
  );
}

function barOption(labels: string[], values: number[], xName: string, yName: string, color = '#1677ff'): ChartOption {
  return {
    grid: { left: 48, right: 16, top: 28, bottom: 40 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', name: xName, nameLocation: 'middle', nameGap: 28, data: labels },
    yAxis: { type: 'value', name: yName, minInterval: 1 },
    series: [{ type: 'bar', data: values, itemStyle: { color, borderRadius: [4, 4, 0, 0] }, barMaxWidth: 40 }],
  };
}

interface CampaignInfo {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
}

/** Whether the numbers are pushed (实时) or polled, and when the server last counted. */
function FeedBadge({ feed, timezone }: { feed: CampaignStatsFeed; timezone: string }) {
  const { t } = useI18n();
  const s = feed.stats;
  return (
    <Flex gap={12} align="center" data-testid="stats-mode">
      {feed.mode === 'live' ? <Badge status="processing" text={t('overview.live')} /> : <Badge status="warning" text={t('overview.polling')} />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {s && statsCounted(s.updatedAt) ? t('overview.statsUpdated', { time: formatInTz(s.updatedAt, timezone, 'HH:mm:ss') }) : t('overview.statsPending')}
      </Typography.Text>
    </Flex>
  );
}

/** Live counters: participants, attempts today, completions per minute, and the totals. */
function StatsCounters({ feed, campaign }: { feed: CampaignStatsFeed; campaign: CampaignInfo }) {
  const { t, lang } = useI18n();
  const now = useNow(5000);
  const stats = feed.stats as CampaignStatsFieldsFragment;
  const rate = completionRate(stats);
  const perMinute = completionsPerMinute(feed.samples, now);
  const tip = (text: string) => (
    <Tooltip title={text}>
      <QuestionCircleOutlined style={{ marginInlineStart: 4, color: 'rgba(0,0,0,0.45)' }} />
    </Tooltip>
  );
  const items = [
    { key: 'participants', title: t('overview.participants'), value: stats.participants, suffix: t('common.people') },
    { key: 'today', title: <>{t('overview.attemptsToday')}{tip(t('overview.attemptsTodayTip', { tz: campaign.timezone }))}</>, value: attemptsToday(stats.attemptsPerDay, campaign.timezone, now), suffix: t('common.times') },
    {
      key: 'rate',
      title: <>{t('overview.perMinute')}{tip(t('overview.perMinuteTip'))}</>,
      value: perMinute == null ? t('overview.measuring') : formatRate(perMinute),
      suffix: perMinute == null ? undefined : t('overview.perMinuteUnit'),
    },
    { key: 'inProgress', title: t('overview.inProgress'), value: stats.inProgress },
    { key: 'attempts', title: t('overview.attempts'), value: stats.attempts, suffix: t('common.times') },
    {
      key: 'completions',
      title: t('overview.completions'),
      value: stats.completions,
      suffix: rate != null ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>{`(${(rate * 100).toFixed(1)}%)`}</Typography.Text> : undefined,
    },
    { key: 'expiries', title: t('overview.expiries'), value: stats.expiries },
    { key: 'median', title: t('overview.medianDuration'), value: formatMedian(stats.medianDurationMs, lang) },
  ];
  return (
    <Row gutter={[16, 16]}>
      {items.map((i) => (
        <Col key={i.key} xs={12} md={6} data-testid={`stat-${i.key}`}>
          <Statistic title={i.title} value={i.value} suffix={i.suffix} />
        </Col>
      ))}
    </Row>
  );
}

/** Everything 概览 shows about one campaign; mounted under the campaign's id as key. */
function CampaignBoard({ campaign }: { campaign: CampaignInfo }) {
  const { t } = useI18n();
  const feed = useCampaignStats(campaign.id);
  const top = useLeaderboard({ campaignID: campaign.id, first: 10 });
  const now = useNow(60_000);
  const stats = feed.stats;
  const tz = campaign.timezone;

  const hourOption = useMemo<ChartOption | null>(() => {
    if (!stats) return null;
    const s = recentHours(stats.attemptsPerHour, tz, campaign, now);
    return barOption(s.labels, s.values, t('overview.hourAxis'), t('overview.attemptsAxis'), '#13c2c2');
  }, [stats, tz, campaign, now, t]);
  const dayOption = useMemo<ChartOption | null>(() => {
    if (!stats) return null;
    const s = campaignDays(stats.attemptsPerDay, tz, campaign, now);
    return barOption(s.labels, s.values, t('overview.dayAxis'), t('overview.attemptsAxis'), '#2f54eb');
  }, [stats, tz, campaign, now, t]);
  const scoreOption = useMemo<ChartOption | null>(() => {
    if (!stats) return null;
    const d = stats.scoreDistribution;
    return barOption(d.map((x) => String(x.score)), d.map((x) => x.count), t('overview.scoreAxis'), t('overview.countAxis'));
  }, [stats, t]);
  const noAttempts = !!stats && stats.attempts === 0 && stats.attemptsPerHour.length === 0;
  const tzNote = <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tz}</Typography.Text>;
  const state = (children: ReactNode, empty?: boolean, emptyText?: string) => (
    <QueryState
      fetching={feed.fetching}
      error={feed.error}
      hasData={!!stats}
      isEmpty={empty}
      empty={<Empty description={emptyText} />}
      onRetry={feed.refresh}
    >
      {children}
    </QueryState>
  );

  return (
    <>
      <Card
        title={t('overview.statsOf', { name: campaign.name })}
        style={{ marginBottom: 16 }}
        data-testid="campaign-stats"
        extra={<FeedBadge feed={feed} timezone={tz} />}
      >
        {state(stats && <StatsCounters feed={feed} campaign={campaign} />)}
      </Card>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={12}>
          <Card title={t('overview.hourly')} extra={tzNote} data-testid="campaign-hours">
            {state(hourOption && <ChartBox option={hourOption} />, noAttempts, t('overview.noAttempts'))}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('overview.daily')} extra={tzNote} data-testid="campaign-days">
            {state(dayOption && <ChartBox option={dayOption} />, noAttempts, t('overview.noAttempts'))}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={12}>
          <Card
            title={t('overview.top10')}
            data-testid="top10"
            extra={
              <Flex gap={12} align="center">
                {top.mode === 'live' && <Badge status="processing" text={t('overview.live')} />}
                <Link to={`/leaderboard?campaign=${campaign.id}`}>{t('overview.viewAll')}</Link>
              </Flex>
            }
          >
            <QueryState
              fetching={top.fetching}
              error={top.error}
              hasData={!!top.board}
              onRetry={top.refresh}
              isEmpty={(top.board?.entries.length ?? 0) === 0}
              empty={<Empty description={t('overview.noScores')} />}
            >
              <LeaderboardTable entries={(top.board?.entries ?? []).slice(0, 10)} timezone={tz} compact />
            </QueryState>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('overview.scoreDistribution')} data-testid="score-distribution">
            {state(scoreOption && <ChartBox option={scoreOption} height={280} />, !!stats && stats.scoreDistribution.length === 0, t('overview.noScores'))}
          </Card>
        </Col>
      </Row>
    </>
  );
}

export default function OverviewPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const now = useNow(1000);
  const [{ data, fetching, error }, refetch] = useQuery({ query: ActiveCampaignsQuery });
  const active = data?.activeCampaigns ?? [];
  const chosen = active.find((c) => c.id === params.get('campaign')) ?? active[0];

  const createButton = canEdit(session?.role) && (
    <Button icon={<PlusOutlined />} onClick={() => navigate('/campaigns/new')}>
      {t('overview.createCampaign')}
    </Button>
  );

  return (
    <PageContainer
      title={t('overview.title')}
      extra={
        active.length > 0 && (
          <Select
            style={{ width: 320 }}
            value={chosen?.id}
            onChange={(id) => setParams({ campaign: id }, { replace: true })}
            options={active.map((c) => ({ value: c.id, label: c.name }))}
            aria-label={t('overview.pickCampaign')}
            data-testid="overview-campaign"
          />
        )
      }
    >
      {chosen && <CampaignBoard key={chosen.id} campaign={chosen} />}

      <Card title={t('overview.activeCampaigns')} style={{ marginBottom: 16 }} extra={createButton}>
        <QueryState
          fetching={fetching}
          error={error}
          hasData={!!data}
          isEmpty={active.length === 0}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          empty={<Empty description={t('overview.noActive')}>{createButton}</Empty>}
        >
          <Row gutter={[16, 16]}>
            {active.map((c) => {
              const p = currentPeriod(c.periods, now);
              return (
                <Col key={c.id} xs={24} lg={12} xxl={8}>
                  <Card
                    size="small"
                    className={`pq-campaign-card${c.id === chosen?.id ? ' is-chosen' : ''}`}
                    title={<Link to={`/campaigns/${c.id}`}>{c.name}</Link>}
                    extra={p && <PeriodStatusTag status={p.status} />}
                  >
                    <Flex vertical gap={8}>
                      <Typography.Text type="secondary">
                        {t('overview.window')}{t('common.colon')}{formatWindow(c.startsAt, c.endsAt, c.timezone)}
                      </Typography.Text>
                      <Typography.Text type="secondary">
                        {t('campaigns.rulesSummary', { q: c.questionsPerAttempt, t: formatSeconds(c.timeLimitSeconds, lang), p: c.pointsPerQuestion })}
                      </Typography.Text>
                      <Row gutter={16}>
                        <Col span={12}>
                          <Statistic
                            title={t('overview.currentPeriod')}
                            value={p ? t('overview.periodOf', { index: p.index }) : '-'}
                            suffix={p ? <Typography.Text type="secondary">/ {c.periods.length}</Typography.Text> : undefined}
                          />
                        </Col>
                        <Col span={12}>
                          <Statistic
                            title={t('overview.cutoffIn')}
                            valueRender={() => (p ? <Countdown to={p.endsAt} onDone={() => refetch({ requestPolicy: 'network-only' })} /> : '-')}
                          />
                        </Col>
                      </Row>
                    </Flex>
                  </Card>
                </Col>
              );
            })}
          </Row>
        </QueryState>
      </Card>
    </PageContainer>
  );
}
