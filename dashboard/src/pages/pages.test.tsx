// Every route renders with realistic data, in Chinese and in English,
// without a runtime error: a smoke test of the whole app.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import { Provider as UrqlProvider } from 'urql';
import { I18nProvider } from '../i18n/I18nContext';
import { AuthProvider } from '../auth/AuthContext';
import { saveSession } from '../auth/session';
import { routes } from '../router';
import { mockClient, opName, testSession } from '../test/utils';
import { answers } from '../test/fixtures';
import type { Lang } from '../api/errors';

// Canvas is not in jsdom; the chart itself is ECharts' business.
vi.mock('../components/EChart', () => ({ EChart: () => <div data-testid="chart" /> }));

function renderRoute(path: string, lang: Lang = 'zh', signedIn = true) {
  if (signedIn) saveSession(testSession);
  const client = mockClient((req) => {
    const name = opName(req);
    return name && name in answers ? { data: answers[name] } : undefined;
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <I18nProvider lang={lang}>
      <ConfigProvider>
        <AntApp>
          <AuthProvider>
            <UrqlProvider value={client}>
              <RouterProvider router={router} />
            </UrqlProvider>
          </AuthProvider>
        </AntApp>
      </ConfigProvider>
    </I18nProvider>,
  );
  return { router, client };
}

// React and Ant Design report misuse (deprecated props, bad nesting, key
// warnings) through console.error: any of it fails the test.
const consoleErrors = vi.spyOn(console, 'error');
afterEach(() => {
  const calls = consoleErrors.mock.calls.map((c) => c.map(String).join(' '));
  consoleErrors.mockClear();
  expect(calls).toEqual([]);
});

const header = () => document.querySelector('.pq-page-header') as HTMLElement;

describe('pages', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    const { router } = renderRoute('/campaigns', 'zh', false);
    expect(await screen.findByText('管理员登录')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('?from=%2Fcampaigns');
  });

  it('概览: active campaigns, statistics, top 10 and charts', async () => {
    renderRoute('/');
    expect(await screen.findByText('进行中的活动')).toBeInTheDocument();
    expect((await screen.findAllByText('医保政策全民普及有奖竞答（演示）')).length).toBeGreaterThan(0);
    expect(await screen.findByText('小王')).toBeInTheDocument();
    expect((await screen.findAllByTestId('chart')).length).toBe(3); // per hour, per day, scores
    expect(screen.getByTestId('stat-participants')).toHaveTextContent('1,234');
    expect(screen.getByTestId('stat-median')).toHaveTextContent('1 分 35 秒');
    expect(screen.getByTestId('stat-rate')).toHaveTextContent('测量中');
    expect(screen.getByTestId('campaign-hours')).toHaveTextContent('近 24 小时每小时答题');
    expect(screen.getByTestId('campaign-days')).toHaveTextContent('每日答题');
    // sider menu and user menu
    expect(screen.getByRole('menuitem', { name: /题库管理/ })).toBeInTheDocument();
    expect(screen.getByTestId('user-menu')).toHaveTextContent('admin');
  });

  it('题库管理: the list', async () => {
    renderRoute('/banks');
    expect(await screen.findByText('示例题库')).toBeInTheDocument();
    expect(await screen.findByText('70')).toBeInTheDocument();
    expect(within(header()).getByText('题库管理', { selector: 'h4' })).toBeInTheDocument();
  });

  it('题库管理: a bank’s questions with filters and cursor pager', async () => {
    renderRoute('/banks/b1');
    expect(await screen.findByText('以下哪些属于基本医疗保险？')).toBeInTheDocument();
    expect(screen.getByText('共 70 条')).toBeInTheDocument();
    expect(screen.getByText('第 1 / 4 页')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /下一页/ })).toBeEnabled();
    expect(screen.getByPlaceholderText('搜索题干')).toBeInTheDocument();
    // breadcrumb: 首页 / 题库管理 / 示例题库
    expect(within(header()).getByRole('link', { name: '题库管理' })).toBeInTheDocument();
  });

  it('活动管理: list, detail and the create form', async () => {
    renderRoute('/campaigns');
    expect(await screen.findByText('c-demo12345')).toBeInTheDocument();
    expect(screen.getAllByText('进行中').length).toBeGreaterThan(0);
  });

  it('活动管理: detail with periods and a countdown', async () => {
    renderRoute('/campaigns/c1');
    expect(await screen.findByText('开奖期次（2）')).toBeInTheDocument();
    expect(screen.getByText('距第 1 期截止')).toBeInTheDocument();
    expect(screen.getAllByText('第 1 期').length).toBeGreaterThan(0);
    expect(screen.getAllByText('进行中').length).toBeGreaterThan(0); // period 1 status
    expect(screen.getByText('未开始')).toBeInTheDocument(); // period 2 status
    expect(screen.getByText('drand 公共随机信标（推荐）')).toBeInTheDocument();
  });

  it('活动管理: editing a running campaign locks its rules', async () => {
    renderRoute('/campaigns/c1/edit');
    expect(await screen.findByTestId('campaign-locked')).toHaveTextContent('计分与抽奖规则已锁定');
    expect(screen.getByDisplayValue('医保政策全民普及有奖竞答（演示）')).toBeEnabled();
    expect(screen.getByTestId('campaign-submit')).toHaveTextContent('保存修改');
  });

  it('活动管理: the create form', async () => {
    renderRoute('/campaigns/new');
    expect(await screen.findByText('答题规则')).toBeInTheDocument();
    expect(screen.getByTestId('campaign-submit')).toBeInTheDocument();
  });

  it('排行榜: picks the running campaign and shows the table', async () => {
    const { router } = renderRoute('/leaderboard');
    expect(await screen.findByText('小李')).toBeInTheDocument();
    expect(screen.getByText('02:00.000')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?campaign=c1');
  });

  it('抽奖: periods, the closed period’s pool and the drand round', async () => {
    renderRoute('/draws');
    expect(await screen.findByText('开奖期次（1）')).toBeInTheDocument();
    expect(screen.getByTestId('period-panel')).toBeInTheDocument();
    expect(screen.getAllByText(/drand #34525956/).length).toBeGreaterThan(0);
    expect(await screen.findByText('p-aaa')).toBeInTheDocument();
  });

  it('参赛者: the table with a blocked participant', async () => {
    renderRoute('/participants');
    expect(await screen.findByText('小王')).toBeInTheDocument();
    expect(screen.getAllByText('已封禁').length).toBeGreaterThan(0);
    expect(screen.getByRole('tab', { name: '可疑参赛者' })).toBeInTheDocument();
  });

  it('管理员 and 审计日志 for an owner', async () => {
    renderRoute('/admins');
    expect(await screen.findByText('editor1')).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /审计日志/ })).toBeInTheDocument();
  });

  it('审计日志: newest first with the action', async () => {
    renderRoute('/audit');
    expect(await screen.findByText('runDraw')).toBeInTheDocument();
  });

  it('hides owner pages from a viewer', async () => {
    saveSession({ ...testSession, role: 'VIEWER' });
    const client = mockClient((req) => {
      const name = opName(req);
      if (name === 'Me') return { data: { me: { __typename: 'Admin', username: 'viewer', role: 'VIEWER' } } };
      return name && name in answers ? { data: answers[name] } : undefined;
    });
    const router = createMemoryRouter(routes, { initialEntries: ['/'] });
    render(
      <I18nProvider lang="zh">
        <ConfigProvider>
          <AntApp>
            <AuthProvider>
              <UrqlProvider value={client}>
                <RouterProvider router={router} />
              </UrqlProvider>
            </AuthProvider>
          </AntApp>
        </ConfigProvider>
      </I18nProvider>,
    );
    expect(await screen.findByRole('menuitem', { name: /抽奖/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /管理员/ })).toBeNull();
    expect(screen.queryByRole('menuitem', { name: /审计日志/ })).toBeNull();
  });

  it('shows 404 for an unknown page', async () => {
    renderRoute('/nope');
    expect(await screen.findByText('您访问的页面不存在或已被移除。')).toBeInTheDocument();
  });

  it('switches to English', async () => {
    renderRoute('/', 'en');
    expect(await screen.findByText('Running campaigns')).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /Question banks/ })).toBeInTheDocument();
  });
});
