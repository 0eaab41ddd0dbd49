import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Descriptions, Empty, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { PeriodStatusTag } from '../../components/Tags';
import { Countdown, useNow } from '../../components/Countdown';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { formatDuration, formatFor, formatInTz, formatWindow } from '../../lib/format';
import { drandRoundURL, parsePeriodEntropy } from '../../lib/draw';
import type { DrawPeriodFieldsFragment, DrawProofFieldsFragment } from '../../gql/graphql';
import { DrawCampaignsQuery, DrawProofQuery, DrawRevealedSubscription, PeriodPoolQuery } from './operations';
import { RunDrawForm } from './RunDrawForm';
import { ProofView } from './ProofView';
import { WinnersTable } from './WinnersTable';
import { WinnerReveal } from './WinnerReveal';

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' as const };

/** The entropy source of a period: drand round with its link and time, or the declared text. */
export function EntropyCell({ period, timezone }: { period: Pick<DrawPeriodFieldsFragment, 'entropySource' | 'entropyAvailableAt'>; timezone: string }) {
  const { t } = useI18n();
  const info = parsePeriodEntropy(period.entropySource);
  if (info.kind === 'drand') {
    return (
      <Space orientation="vertical" size={0}>
        <Typography.Link href={drandRoundURL(info.round)} target="_blank" rel="noreferrer">
          drand #{info.round} <ExportOutlined />
        </Typography.Link>
        {period.entropyAvailableAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('draw.availableAt', { time: formatInTz(period.entropyAvailableAt, timezone) })}
          </Typography.Text>
        )}
      </Space>
    );
  }
  if (info.kind === 'declared') return <span>{t('form.entropy.declared')}{t('common.colon')}{info.text}</span>;
  return <span>{info.text || '-'}</span>;
}

function PoolTable({ periodID }: { periodID: string }) {
  const { t } = useI18n();
  const [res, refetch] = useQuery({ query: PeriodPoolQuery, variables: { id: periodID } });
  const pool = res.data?.period?.pool ?? [];
  return (
    <QueryState
      fetching={res.fetching}
      error={res.error}
      hasData={!!res.data}
      onRetry={() => refetch({ requestPolicy: 'network-only' })}
      isEmpty={pool.length === 0}
      empty={<Empty description={t('draw.poolEmpty')} />}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {res.data?.period?.poolDigest && (
          <Typography.Text type="secondary">
            {t('proof.poolDigest')}
            {t('common.colon')}
            <Typography.Text copyable style={mono}>
              {res.data.period.poolDigest}
            </Typography.Text>
          </Typography.Text>
        )}
        <Table
          size="small"
          rowKey="rank"
          dataSource={pool}
          pagination={{ pageSize: 50, showSizeChanger: false, size: 'small' }}
          columns={[
            { key: 'rank', title: t('leaderboard.rank'), dataIndex: 'rank', width: 80 },
            { key: 'publicID', title: t('leaderboard.publicID'), dataIndex: 'publicID' },
            { key: 'score', title: t('leaderboard.score'), dataIndex: 'score', width: 100, align: 'right' },
            { key: 'duration', title: t('leaderboard.duration'), dataIndex: 'durationMs', width: 130, align: 'right', render: (v: number) => formatDuration(v) },
          ]}
        />
      </Space>
    </QueryState>
  );
}

interface CampaignInfo {
  id: string;
  publicID: string;
  name: string;
  timezone: string;
  poolSize: number;
  winnersPerPeriod: number;
}

function PeriodPanel({ campaign, period, poolCount, onChanged }: { campaign: CampaignInfo; period: DrawPeriodFieldsFragment; poolCount?: number; onChanged: () => void }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const owner = session?.role === 'OWNER';
  const now = useNow(5000);
  const drawn = period.status === 'DRAWN' || period.status === 'PUBLISHED';
  const closed = period.status !== 'UPCOMING' && period.status !== 'OPEN';
  const [proofRes, refetchProof] = useQuery({ query: DrawProofQuery, variables: { periodID: period.id }, pause: !drawn });
  const [live, setLive] = useState<DrawProofFieldsFragment | null>(null);
  // The draw revealed live (by this admin or another one).
  const [sub] = useSubscription({ query: DrawRevealedSubscription, variables: { periodID: period.id }, pause: !closed || drawn });
  useEffect(() => {
    if (sub.data?.drawRevealed) {
      setLive(sub.data.drawRevealed);
      onChanged();
    }
  }, [sub.data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => setLive(null), [period.id]);

  const proof = live ?? proofRes.data?.drawProof ?? null;
  const [tab, setTab] = useState<string>(drawn ? 'winners' : 'pool');
  useEffect(() => setTab(drawn || live ? 'winners' : 'pool'), [period.id, drawn, live]);

  const items = [
    { key: 'pool', label: t('draw.pool'), children: closed ? <PoolTable periodID={period.id} /> : <Empty description={t('draw.poolLater')} /> },
    ...(!drawn && !live && owner
      ? [
          {
            key: 'run',
            label: t('draw.runTab'),
            children: (
              <RunDrawForm
                period={period}
                poolSize={poolCount ?? campaign.poolSize}
                timezone={campaign.timezone}
                now={now}
                onDrawn={(p) => {
                  setLive(p);
                  onChanged();
                }}
              />
            ),
          },
        ]
      : []),
    ...(proof
      ? [
          {
            key: 'proof',
            label: t('draw.proof'),
            children: <ProofView proof={proof} campaignPublicID={campaign.publicID} periodIndex={period.index} timezone={campaign.timezone} />,
          },
        ]
      : []),
    ...(drawn || live
      ? [
          {
            key: 'winners',
            label: t('draw.winners'),
            children: <WinnersTable period={period} timezone={campaign.timezone} onChanged={() => { onChanged(); refetchProof({ requestPolicy: 'network-only' }); }} />,
          },
        ]
      : []),
  ];

  return (
    <Card title={t('draw.periodTitle', { index: period.index })} extra={<PeriodStatusTag status={period.status} />} data-testid="period-panel">
      {live && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('draw.revealed', { index: period.index, n: live.winnersCount })}
          description={
            <Space orientation="vertical" style={{ width: '100%' }}>
              <span>
                {t('proof.winnersDigest')}
                {t('common.colon')}
                <code style={{ wordBreak: 'break-all' }}>{live.winnersDigest}</code>
              </span>
              <WinnerReveal order={live.order} winnersCount={live.winnersCount} />
            </Space>
          }
        />
      )}
      {!drawn && !live && closed && !owner && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('draw.ownerRuns')} />}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'w', label: t('draw.window'), children: formatWindow(period.startsAt, period.endsAt, campaign.timezone) },
          {
            key: 'c',
            label: t('draw.cutoff'),
            // At the cutoff the period closes: fetch its new status (and then its pool).
            children: Date.parse(period.endsAt) > now ? <Countdown to={period.endsAt} onDone={onChanged} /> : formatInTz(period.endsAt, campaign.timezone, 'YYYY-MM-DD HH:mm:ss'),
          },
          { key: 'e', label: t('draw.entropySource'), children: <EntropyCell period={period} timezone={campaign.timezone} /> },
          { key: 'k', label: t('draw.winnersCount'), children: period.winnersCount ?? campaign.winnersPerPeriod },
          {
            key: 'd',
            label: t('proof.commitmentDigest'),
            children: period.commitmentDigest ? (
              <Typography.Text copyable style={mono}>
                {period.commitmentDigest}
              </Typography.Text>
            ) : (
              '-'
            ),
          },
          ...(period.drawnAt ? [{ key: 'da', label: t('proof.drawnAt'), children: formatInTz(period.drawnAt, campaign.timezone, 'YYYY-MM-DD HH:mm:ss') }] : []),
          ...(period.publishedAt ? [{ key: 'pa', label: t('draw.publishedAt'), children: formatInTz(period.publishedAt, campaign.timezone, 'YYYY-MM-DD HH:mm:ss') }] : []),
        ]}
      />
      <Tabs activeKey={tab} onChange={setTab} items={items} />
    </Card>
  );
}

export default function DrawsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [res, refetch] = useQuery({ query: DrawCampaignsQuery });
  const campaigns = res.data?.campaigns ?? [];
  const campaignID = params.get('campaign') ?? campaigns[0]?.id;
  const campaign = campaigns.find((c) => c.id === campaignID);
  const periods = useMemo(() => [...(campaign?.periods ?? [])].sort((a, b) => a.index - b.index), [campaign]);
  const defaultPeriod = periods.find((p) => p.status === 'CLOSED') ?? periods.find((p) => p.status === 'DRAWN') ?? periods.find((p) => p.status === 'OPEN') ?? periods[0];
  const periodID = params.get('period') ?? defaultPeriod?.id;
  const period = periods.find((p) => p.id === periodID);
  const now = useNow(1000);

  // Keep the period shown in the URL: a refetch after a draw or publish
  // changes which period is "first to draw", and the page must not jump.
  useEffect(() => {
    if (!params.get('period') && campaign && defaultPeriod) {
      const p = new URLSearchParams(params);
      p.set('campaign', campaign.id);
      p.set('period', defaultPeriod.id);
      setParams(p, { replace: true });
    }
  }, [params, campaign, defaultPeriod, setParams]);

  const select = (next: { campaign?: string; period?: string }) => {
    const p = new URLSearchParams(params);
    if (next.campaign) {
      p.set('campaign', next.campaign);
      p.delete('period');
    }
    if (next.period) p.set('period', next.period);
    setParams(p, { replace: true });
  };

  return (
    <PageContainer
      title={t('draw.title')}
      extra={
        <Select
          style={{ width: 320 }}
          value={campaign?.id}
          placeholder={t('draw.pickCampaign')}
          onChange={(v) => select({ campaign: v })}
          options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
          aria-label={t('draw.pickCampaign')}
        />
      }
    >
      <QueryState
        fetching={res.fetching}
        error={res.error}
        hasData={!!res.data}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
        isEmpty={campaigns.length === 0}
        empty={
          <Card>
            <Empty description={t('leaderboard.noCampaign')} />
          </Card>
        }
      >
        {campaign && (
          <Card title={t('draw.periods', { n: periods.length })} style={{ marginBottom: 16 }}>
            <Table<DrawPeriodFieldsFragment>
              size="small"
              rowKey="id"
              dataSource={periods}
              pagination={periods.length > 10 ? { pageSize: 10, size: 'small' } : false}
              scroll={{ x: 900 }}
              rowClassName={(p) => (p.id === period?.id ? 'ant-table-row-selected' : '')}
              onRow={(p) => ({ onClick: () => select({ period: p.id }), style: { cursor: 'pointer' } })}
              columns={[
                { key: 'i', title: t('draw.period'), dataIndex: 'index', width: 80, render: (i: number) => t('overview.periodOf', { index: i }) },
                { key: 's', title: t('common.status'), dataIndex: 'status', width: 90, render: (s: string) => <PeriodStatusTag status={s} /> },
                {
                  key: 'cut',
                  title: t('draw.cutoff'),
                  width: 190,
                  render: (_, p) => (
                    <Space orientation="vertical" size={0}>
                      <span>{formatInTz(p.endsAt, campaign.timezone, formatFor(p.startsAt, p.endsAt))}</span>
                      {Date.parse(p.endsAt) > now && Date.parse(p.startsAt) <= now && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          <Countdown to={p.endsAt} onDone={() => refetch({ requestPolicy: 'network-only' })} />
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                {
                  key: 'd',
                  title: t('proof.commitmentDigest'),
                  dataIndex: 'commitmentDigest',
                  render: (d: string | null) =>
                    d ? (
                      <Typography.Text copyable={{ text: d }} style={mono} onClick={(e) => e.stopPropagation()}>
                        {d.slice(0, 16)}…
                      </Typography.Text>
                    ) : (
                      <Typography.Text type="secondary">{t('draw.noCommitment')}</Typography.Text>
                    ),
                },
                { key: 'e', title: t('draw.entropySource'), width: 230, render: (_, p) => <EntropyCell period={p} timezone={campaign.timezone} /> },
                {
                  key: 'w',
                  title: t('draw.winnersCount'),
                  dataIndex: 'winnersCount',
                  width: 90,
                  align: 'right',
                  render: (n: number | null) => (n == null ? '-' : <Tag color="gold">{n}</Tag>),
                },
              ]}
            />
          </Card>
        )}
        {campaign && period && <PeriodPanel key={period.id} campaign={campaign} period={period} onChanged={() => refetch({ requestPolicy: 'network-only' })} />}
      </QueryState>
    </PageContainer>
  );
}
