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

export const answers: Record<string, unknown> = {
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
