// Realistic answers for each operation, shaped like the live server's.
const period = (i: number, status: string, start: string, end: string) => ({
  __typename: 'Period',
  id: `p${i}`,
  index: i,
  startsAt: start,
  endsAt: end,
  status,
  commitmentDigest: status === 'UPCOMING' ? null : 'ab'.repeat(32),
  commitmentRecord: status === 'UPCOMING' ? null : 'version=prizequiz-draw-v1\ncampaign=c123\n',
  poolDigest: null,
});

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86400_000;

export const campaign = {
  __typename: 'Campaign',
  id: 'c1',
  publicID: 'c-demo12345',
  name: '医保政策全民普及有奖竞答（演示）',
  description: '演示活动',
  startsAt: iso(now - DAY),
  endsAt: iso(now + 13 * DAY),
  timezone: 'Asia/Shanghai',
  questionsPerAttempt: 5,
  categoryQuotas: [],
  timeLimitSeconds: 300,
  graceSeconds: 5,
  pointsPerQuestion: 20,
  rankingMode: 'BEST_ATTEMPT',
  periodSeconds: 604800,
  poolSize: 1000,
  winnersPerPeriod: 520,
  excludePreviousWinners: true,
  maxAttemptsPerDay: null,
  entropySource: 'drand-quicknet',
  bank: { __typename: 'QuestionBank', id: 'b1', name: '示例题库' },
  periods: [period(1, 'OPEN', iso(now - DAY), iso(now + 6 * DAY)), period(2, 'UPCOMING', iso(now + 6 * DAY), iso(now + 13 * DAY))],
};

export const bank = { __typename: 'QuestionBank', id: 'b1', name: '示例题库', description: '基本医保 70 题', archived: false, createdAt: iso(now - 2 * DAY) };

export const question = {
  __typename: 'Question',
  id: 'q1',
  kind: 'MULTIPLE',
  stem: '以下哪些属于基本医疗保险？',
  options: [
    { __typename: 'QuestionOption', key: 'A', text: '职工医保' },
    { __typename: 'QuestionOption', key: 'B', text: '居民医保' },
    { __typename: 'QuestionOption', key: 'C', text: '商业保险' },
  ],
  answer: ['A', 'B'],
  explanation: '商业保险不是基本医保。',
  category: '基本医保',
  enabled: true,
  version: 1,
  createdAt: iso(now - DAY),
  updatedAt: iso(now - DAY),
  stats: {
    __typename: 'QuestionStats',
    served: 40,
    answered: 38,
    correct: 30,
    correctRate: 0.75,
    optionShares: [
      { __typename: 'OptionShare', key: 'A', count: 35, share: 35 / 38 },
      { __typename: 'OptionShare', key: 'B', count: 31, share: 31 / 38 },
      { __typename: 'OptionShare', key: 'C', count: 5, share: 5 / 38 },
    ],
  },
};

export const leaderboard = {
  __typename: 'Leaderboard',
  total: 2,
  updatedAt: iso(now),
  entries: [
    { __typename: 'LeaderboardEntry', rank: 1, score: 100, durationMs: 65123, achievedAt: iso(now - 3600_000), participant: { __typename: 'PublicParticipant', publicID: 'p-aaa', nickname: '小王' } },
    { __typename: 'LeaderboardEntry', rank: 2, score: 80, durationMs: 120000, achievedAt: iso(now - 7200_000), participant: { __typename: 'PublicParticipant', publicID: 'p-bbb', nickname: '小李' } },
  ],
};

export const campaignStatistics = {
  __typename: 'CampaignStats',
  participants: 1234,
  attempts: 2345,
  inProgress: 12,
  completions: 2200,
  expiries: 133,
  attemptsPerHour: [
    { __typename: 'HourCount', at: '2026-11-27T02:00:00Z', count: 30 },
    { __typename: 'HourCount', at: '2026-11-27T01:00:00Z', count: 12 },
  ],
  attemptsPerDay: [{ __typename: 'DayCount', day: '2026-11-27', count: 42 }],
  scoreDistribution: [
    { __typename: 'ScoreCount', score: 80, count: 10 },
    { __typename: 'ScoreCount', score: 100, count: 4 },
  ],
  medianDurationMs: 95000,
  updatedAt: iso(now),
};

const drawPeriod = {
  __typename: 'Period',
  id: 'p9',
  index: 1,
  startsAt: iso(now - 8 * DAY),
  endsAt: iso(now - DAY),
  status: 'CLOSED',
  commitmentRecord: 'version=prizequiz-draw-v1\n',
  commitmentDigest: 'ab'.repeat(32),
  poolDigest: 'cd'.repeat(32),
  entropySource: 'drand-quicknet round 34525956',
  entropyAvailableAt: iso(now - DAY + 600_000),
  drawnAt: null,
  publishedAt: null,
  winnersCount: null,
};

export const answers: Record<string, unknown> = {
  DrawCampaigns: {
    campaigns: [{ __typename: 'Campaign', id: 'c1', publicID: 'c-demo12345', name: campaign.name, timezone: 'Asia/Shanghai', poolSize: 1000, winnersPerPeriod: 520, entropySource: 'drand-quicknet', periods: [drawPeriod] }],
  },
  PeriodPool: {
    period: { __typename: 'Period', id: 'p9', poolFile: '', poolDigest: 'cd'.repeat(32), pool: [{ __typename: 'PoolEntry', rank: 1, publicID: 'p-aaa', score: 100, durationMs: 65123 }] },
  },
  Participants: {
    participants: {
      __typename: 'ParticipantConnection',
      totalCount: 1,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'x' },
      edges: [{ __typename: 'ParticipantEdge', node: { __typename: 'Participant', id: 'u1', publicID: 'p-aaa', nickname: '小王', provider: 'GUEST', blocked: true, blockedReason: '刷分', createdAt: iso(now) } }],
    },
  },
  Admins: {
    admins: [
      { __typename: 'Admin', id: 'a1', username: 'admin', role: 'OWNER', disabled: false, createdAt: iso(now) },
      { __typename: 'Admin', id: 'a2', username: 'editor1', role: 'EDITOR', disabled: true, createdAt: iso(now) },
    ],
  },
  AuditEvents: {
    auditEvents: {
      __typename: 'AuditEventConnection',
      totalCount: 1,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'x' },
      edges: [{ __typename: 'AuditEventEdge', node: { __typename: 'AuditEvent', id: 'e1', action: 'runDraw', actor: 'admin', subject: 'Period:1', at: iso(now), clientAddress: '127.0.0.1', payload: { winners: 2 } } }],
    },
  },
  CampaignStatistics: { campaignStatistics },
  Me: { me: { __typename: 'Admin', username: 'admin', role: 'OWNER' } },
  QuestionBanks: { questionBanks: [bank] },
  CampaignBanks: { questionBanks: [bank] },
  BankQuestionCount: { questions: { __typename: 'QuestionConnection', totalCount: 70 } },
  Questions: {
    questions: {
      __typename: 'QuestionConnection',
      totalCount: 70,
      pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'cur1' },
      edges: [{ __typename: 'QuestionEdge', cursor: 'cur1', node: question }],
    },
  },
  BankCategories: { questions: { __typename: 'QuestionConnection', edges: [{ __typename: 'QuestionEdge', node: { __typename: 'Question', id: 'q1', category: '基本医保' } }] } },
  Campaigns: { campaigns: [campaign] },
  LeaderboardCampaigns: { campaigns: [campaign] },
  Campaign: { campaign },
  ActiveCampaigns: { activeCampaigns: [campaign] },
  Leaderboard: { leaderboard },
};
