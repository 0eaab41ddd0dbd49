import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CampaignForm, formFieldOfCampaignError } from './CampaignForm';
import { campaignFormDefaults, toCreateCampaignInput, type CampaignFormValues } from '../../lib/campaign';
import dayjs from '../../lib/dayjs';
import { renderWithProviders } from '../../test/utils';

const banks = [
  { id: 'b1', name: '示例题库' },
  { id: 'b2', name: '旧题库', archived: true },
];

function item(label: string): HTMLElement {
  const el = screen.getByText(label, { selector: 'label, label *' }).closest('.ant-form-item');
  if (!el) throw new Error(`no form item ${label}`);
  return el as HTMLElement;
}

const inputValue = (label: string) => (within(item(label)).getAllByRole('spinbutton')[0] as HTMLInputElement).value;

describe('CampaignForm', () => {
  it('pre-fills every rule with its SPEC §1 default', () => {
    renderWithProviders(<CampaignForm banks={banks} onSubmit={() => {}} />);
    expect(inputValue('每次题数')).toBe('5');
    expect(inputValue('答题时限')).toBe('300');
    expect(inputValue('网络宽限')).toBe('5');
    expect(inputValue('每题分值')).toBe('20');
    expect(inputValue('每日答题次数')).toBe(''); // unlimited
    expect(inputValue('开奖周期')).toBe('7');
    expect(inputValue('抽奖池人数')).toBe('1000');
    expect(inputValue('每期获奖人数')).toBe('520');
    expect(within(item('排除往期获奖者')).getByRole('switch')).toBeChecked();
    expect(within(item('排名方式')).getByRole('radio', { name: '最佳成绩' })).toBeChecked();
    expect(within(item('随机源')).getByRole('radio', { name: /drand/ })).toBeChecked();
    expect((within(item('时区')).getByRole('combobox') as HTMLInputElement).value).toBe('Asia/Shanghai');
    // derived hints
    expect(screen.getByText(/满分 100 分/)).toBeInTheDocument();
    expect(screen.getByText(/= 5 分钟/)).toBeInTheDocument();
    expect(screen.getByText(/按 Asia\/Shanghai（UTC\+08:00）时间 · 共 4 期/)).toBeInTheDocument();
  });

  it('explains every rule in a tooltip on its label', () => {
    renderWithProviders(<CampaignForm banks={banks} onSubmit={() => {}} />);
    for (const label of ['每次题数', '答题时限', '网络宽限', '每题分值', '每日答题次数', '排名方式', '开奖周期', '抽奖池人数', '每期获奖人数', '排除往期获奖者', '随机源', '时区', '活动时间']) {
      expect(item(label).querySelector('.ant-form-item-tooltip'), label).not.toBeNull();
    }
  });

  it('shows defaults beside the fields', () => {
    renderWithProviders(<CampaignForm banks={banks} onSubmit={() => {}} />);
    expect(screen.getByText('默认：5 题')).toBeInTheDocument();
    expect(screen.getByText(/默认：300 秒/)).toBeInTheDocument();
    expect(screen.getByText('默认：1000 人')).toBeInTheDocument();
    expect(screen.getByText('默认：520 人')).toBeInTheDocument();
    expect(screen.getByText('默认：7 天')).toBeInTheDocument();
    expect(screen.getByText('默认：不限')).toBeInTheDocument();
    expect(screen.getByText('默认：drand-quicknet')).toBeInTheDocument();
  });

  it('submits the defaults as a complete CreateCampaignInput', async () => {
    const onSubmit = vi.fn<(v: CampaignFormValues) => void>();
    const initial = { ...campaignFormDefaults(dayjs('2026-09-01T01:23:45Z')), name: '医保竞答', bankID: 'b1' };
    renderWithProviders(<CampaignForm banks={banks} initialValues={initial} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByTestId('campaign-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(toCreateCampaignInput(onSubmit.mock.calls[0][0])).toMatchObject({
      name: '医保竞答',
      bankID: 'b1',
      startsAt: '2026-09-01T02:00:00.000Z',
      endsAt: '2026-09-29T02:00:00.000Z',
      questionsPerAttempt: 5,
      timeLimitSeconds: 300,
      graceSeconds: 5,
      pointsPerQuestion: 20,
      rankingMode: 'BEST_ATTEMPT',
      periodSeconds: 604800,
      poolSize: 1000,
      winnersPerPeriod: 520,
      excludePreviousWinners: true,
      maxAttemptsPerDay: null,
      timezone: 'Asia/Shanghai',
      entropySource: 'drand-quicknet',
    });
  });

  it('refuses a missing name and bank, and more winners than the pool', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<CampaignForm banks={banks} onSubmit={onSubmit} />);
    const winners = within(item('每期获奖人数')).getByRole('spinbutton');
    fireEvent.change(winners, { target: { value: '2000' } });
    fireEvent.click(screen.getByTestId('campaign-submit'));
    expect(await screen.findByText('请输入活动名称')).toBeInTheDocument();
    expect(await screen.findByText('请选择题库')).toBeInTheDocument();
    expect(await screen.findByText('获奖人数不能超过抽奖池人数')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('asks for the declared result when the entropy source is declared', async () => {
    const onSubmit = vi.fn();
    const initial = { ...campaignFormDefaults(), name: 'x', bankID: 'b1' };
    renderWithProviders(<CampaignForm banks={banks} initialValues={initial} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('radio', { name: '声明的公开结果' }));
    expect(await screen.findByPlaceholderText(/福彩3D/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('campaign-submit'));
    expect(await screen.findByText('请写明截止后才确定的公开结果')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('maps server fields to form fields', () => {
    expect(formFieldOfCampaignError('endsAt')).toBe('window');
    expect(formFieldOfCampaignError('periodSeconds')).toBe('periodValue');
    expect(formFieldOfCampaignError('entropySource')).toBe('entropyKind');
    expect(formFieldOfCampaignError('winnersPerPeriod')).toBe('winnersPerPeriod');
    expect(formFieldOfCampaignError(undefined)).toBeUndefined();
  });

  it('locks every rule of a started campaign but the name, description and end, and says why', () => {
    const initial = { ...campaignFormDefaults(), name: '医保竞答', bankID: 'b1' };
    renderWithProviders(<CampaignForm banks={banks} initialValues={initial} onSubmit={() => {}} locked lockedNote="已于 2026-09-01 开始" submitText="保存修改" />);
    expect(screen.getByTestId('campaign-locked')).toHaveTextContent('计分与抽奖规则已锁定');
    expect(screen.getByTestId('campaign-locked')).toHaveTextContent('已于 2026-09-01 开始');
    for (const label of ['每次题数', '答题时限', '每题分值', '抽奖池人数', '每期获奖人数']) {
      expect(within(item(label)).getAllByRole('spinbutton')[0], label).toBeDisabled();
    }
    expect(within(item('排除往期获奖者')).getByRole('switch')).toBeDisabled();
    expect(screen.queryByText('恢复默认规则')).toBeNull();
    expect(screen.queryByText('添加分类配额')).toBeNull();
    expect(within(item('活动名称')).getByRole('textbox')).toBeEnabled();
    const [start, end] = within(item('活动时间')).getAllByRole('textbox') as HTMLInputElement[];
    expect(start).toBeDisabled();
    expect(end).toBeEnabled();
    expect(screen.getByTestId('campaign-submit')).toHaveTextContent('保存修改');
  });
});

