import { Button, Card, Col, Descriptions, Empty, Flex, Row, Space, Statistic, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ClockCircleOutlined, EditOutlined, GiftOutlined, TrophyOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { CampaignPhaseTag, PeriodStatusTag } from '../../components/Tags';
import { Countdown, useNow } from '../../components/Countdown';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { formatFor, formatInTz, formatSeconds, tzOffsetLabel } from '../../lib/format';
import { campaignPhase, nextCutoff, parseEntropySource, PERIOD_STATUS_COLORS, type PeriodStatus } from '../../lib/campaign';
import { CampaignQuery } from './operations';

const TIMELINE_COLOR: Record<PeriodStatus, string> = {
  UPCOMING: 'gray',
  OPEN: 'blue',
  CLOSED: 'orange',
  DRAWN: 'purple',
  PUBLISHED: 'green',
};

export default function CampaignDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { session } = useAuth();
  const now = useNow(1000);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignQuery, variables: { id } });
  const c = data?.campaign;
  const crumbs = [{ title: t('menu.campaigns'), to: '/campaigns' }, { title: c?.name ?? (data ? t('campaigns.notFound') : '…') }];

  if (data && !c) {
    return (
      <PageContainer title={t('campaigns.notFound')} crumbs={crumbs}>
        <Card>
          <Empty description={t('campaigns.notFound')}>
            <Button onClick={() => navigate('/campaigns')}>{t('common.back')}</Button>
          </Empty>
        </Card>
      </PageContainer>
    );
  }

  const tz = c?.timezone ?? 'Asia/Shanghai';
  // to the second when the campaign's times are not whole minutes
  const timeFormat = c ? formatFor(c.startsAt, c.endsAt, ...c.periods.map((p) => p.endsAt)) : undefined;
  const fmt = (iso: string) => formatInTz(iso, tz, timeFormat);
  const next = c ? nextCutoff(c.periods, now) : undefined;
  const phase = c ? campaignPhase(c, now) : 'upcoming';
  const entropy = c ? parseEntropySource(c.entropySource) : null;

  return (
    <PageContainer
      title={c?.name ?? t('campaigns.detail')}
      subTitle={c && <CampaignPhaseTag campaign={c} now={now} />}
      crumbs={crumbs}
      extra={
        c && (
          <>
            <Button icon={<TrophyOutlined />} onClick={() => navigate(`/leaderboard?campaign=${c.id}`)}>
              {t('campaigns.viewLeaderboard')}
            </Button>
            <Button icon={<GiftOutlined />} onClick={() => navigate(`/draws?campaign=${c.id}`)}>
              {t('campaigns.viewDraws')}
            </Button>
            {canEdit(session?.role) && (
              <Tooltip title={phase === 'ended' ? t('campaigns.endedNoEdit') : undefined}>
                <Button type="primary" icon={<EditOutlined />} disabled={phase === 'ended'} onClick={() => navigate(`/campaigns/${c.id}/edit`)} data-testid="campaign-edit">
                  {t('common.edit')}
                </Button>
              </Tooltip>
            )}
          </>
        )
      }
    >
      <QueryState fetching={fetching} error={error} hasData={!!c} onRetry={() => refetch({ requestPolicy: 'network-only' })} skeletonRows={10}>
        {c && (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <Card title={t('campaigns.rules')} extra={<Typography.Text type="secondary">{t('campaigns.timezoneNote', { tz, offset: tzOffsetLabel(tz) })}</Typography.Text>}>
                <Descriptions
                  bordered
                  size="small"
                  column={{ xs: 1, lg: 2 }}
                  items={[
                    { key: 'publicID', label: t('campaigns.publicID'), children: <Typography.Text copyable>{c.publicID}</Typography.Text> },
                    { key: 'bank', label: t('campaigns.bank'), children: <Link to={`/banks/${c.bank.id}`}>{c.bank.name}</Link> },
                    { key: 'window', label: t('campaigns.window'), span: 'filled', children: `${fmt(c.startsAt)} ~ ${fmt(c.endsAt)}${t('common.parenOpen')}${tz}${t('common.parenClose')}` },
                    ...(c.description ? [{ key: 'desc', label: t('common.description'), span: 'filled' as const, children: c.description }] : []),
                    { key: 'qpa', label: t('form.questionsPerAttempt'), children: `${c.questionsPerAttempt} ${t('common.questions')}` },
                    { key: 'time', label: t('form.timeLimitSeconds'), children: `${formatSeconds(c.timeLimitSeconds, lang)}${t('common.parenOpen')}+${c.graceSeconds} ${t('common.seconds')}${t('common.parenClose')}` },
                    {
                      key: 'points',
                      label: t('form.pointsPerQuestion'),
                      children: `${c.pointsPerQuestion} ${t('common.points')} · ${t('form.fullScore', { n: c.pointsPerQuestion * c.questionsPerAttempt })}`,
                    },
                    { key: 'max', label: t('form.maxAttemptsPerDay'), children: c.maxAttemptsPerDay ?? t('common.unlimited') },
                    { key: 'mode', label: t('form.rankingMode'), children: t(`form.rankingMode.${c.rankingMode}` as MessageKey) },
                    { key: 'period', label: t('form.period'), children: formatSeconds(c.periodSeconds, lang) },
                    { key: 'pool', label: t('form.poolSize'), children: `${c.poolSize} ${t('common.people')}` },
                    { key: 'winners', label: t('form.winnersPerPeriod'), children: `${c.winnersPerPeriod} ${t('common.people')}` },
                    { key: 'exclude', label: t('form.excludePreviousWinners'), children: c.excludePreviousWinners ? t('common.yes') : t('common.no') },
                    {
                      key: 'entropy',
                      label: t('form.entropySource'),
                      children: entropy?.kind === 'drand' ? t('form.entropy.drand') : `${t('form.entropy.declared')}${t('common.colon')}${entropy?.declared}`,
                    },
                    ...(c.categoryQuotas.length > 0
                      ? [
                          {
                            key: 'quotas',
                            label: t('form.section.quotas'),
                            span: 'filled' as const,
                            children: (
                              <Space wrap>
                                {c.categoryQuotas.map((q) => (
                                  <Tag key={q.category}>
                                    {q.category} × {q.count}
                                  </Tag>
                                ))}
                              </Space>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card style={{ marginBottom: 16 }}>
                {phase === 'upcoming' ? (
                  <Statistic title={t('campaigns.startsIn')} valueRender={() => <Countdown to={c.startsAt} />} prefix={<ClockCircleOutlined />} />
                ) : next ? (
                  <Flex vertical gap={4}>
                    <Statistic
                      title={t('campaigns.nextCutoff', { index: next.index })}
                      valueRender={() => <Countdown to={next.endsAt} onDone={() => refetch({ requestPolicy: 'network-only' })} />}
                      prefix={<ClockCircleOutlined />}
                    />
                    <Typography.Text type="secondary">
                      {t('campaigns.cutoff')}{t('common.colon')}{fmt(next.endsAt)}
                    </Typography.Text>
                  </Flex>
                ) : (
                  <Statistic title={t('campaigns.periodTimeline')} value={t('campaigns.allCutoffsPassed')} />
                )}
              </Card>
              <Card title={`${t('campaigns.periodTimeline')}${t('common.parenOpen')}${c.periods.length}${t('common.parenClose')}`}>
                <Timeline
                  items={[...c.periods]
                    .sort((a, b) => a.index - b.index)
                    .map((p) => ({
                      key: p.id,
                      color: TIMELINE_COLOR[p.status as PeriodStatus] ?? 'gray',
                      title: (
                        <Space size={6}>
                          <b>{t('overview.periodOf', { index: p.index })}</b>
                          <PeriodStatusTag status={p.status} />
                          {next?.id === p.id && phase !== 'upcoming' && (
                            <Tag color={PERIOD_STATUS_COLORS.OPEN} variant="outlined">
                              <Countdown to={p.endsAt} />
                            </Tag>
                          )}
                        </Space>
                      ),
                      content: (
                        <Flex vertical gap={2}>
                          <Typography.Text type="secondary">{t('campaigns.periodWindow', { start: fmt(p.startsAt), end: fmt(p.endsAt) })}</Typography.Text>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('campaigns.commitment')}{t('common.colon')}
                            {p.commitmentDigest ? (
                              <Tooltip title={p.commitmentRecord ? <pre className="pq-record">{p.commitmentRecord}</pre> : undefined}>
                                <Typography.Text code copyable={{ text: p.commitmentDigest }} style={{ fontSize: 12 }}>
                                  {p.commitmentDigest.slice(0, 16)}…
                                </Typography.Text>
                              </Tooltip>
                            ) : (
                              t('campaigns.noCommitment')
                            )}
                          </Typography.Text>
                        </Flex>
                      ),
                    }))}
                />
              </Card>
            </Col>
          </Row>
        )}
      </QueryState>
    </PageContainer>
  );
}
