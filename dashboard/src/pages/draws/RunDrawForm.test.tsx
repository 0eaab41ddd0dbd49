import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockClient, opName, renderWithProviders, testSession } from '../../test/utils';
import { RunDrawForm } from './RunDrawForm';

const SIG = 'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92';
const proof = { __typename: 'DrawProof', winnersCount: 2, winnersDigest: 'ee', order: ['a', 'b'], disqualifications: [] };

const period = (over: Record<string, unknown> = {}) => ({
  id: 'p1',
  index: 3,
  status: 'CLOSED',
  endsAt: '2026-01-01T00:00:00Z',
  entropySource: 'drand-quicknet round 123',
  entropyAvailableAt: '2026-01-01T00:10:00Z',
  ...over,
});

describe('RunDrawForm', () => {
  it('shows the round and its link, rejects bad signatures, confirms naming the period and pool size, then runs the draw', async () => {
    const client = mockClient((req) => (opName(req) === 'RunDraw' ? { data: { runDraw: proof } } : undefined));
    const onDrawn = vi.fn();
    renderWithProviders(<RunDrawForm period={period()} poolSize={1000} timezone="Asia/Shanghai" now={Date.parse('2026-01-02T00:00:00Z')} onDrawn={onDrawn} />, {
      client,
      session: testSession,
    });
    expect(screen.getByText('本期随机源：drand quicknet 第 123 轮的签名')).toBeInTheDocument();
    expect(screen.getByText(/public\/123$/).closest('a')).toHaveAttribute('href', expect.stringContaining('/public/123'));

    fireEvent.change(screen.getByTestId('draw-entropy'), { target: { value: 'zz-not-hex' } });
    fireEvent.click(screen.getByTestId('draw-submit'));
    expect(await screen.findByText('签名只能包含 0-9 和 a-f')).toBeInTheDocument();
    expect(client.executeMutation).not.toHaveBeenCalled();

    fireEvent.change(screen.getByTestId('draw-entropy'), { target: { value: `0x${SIG.toUpperCase()}` } });
    fireEvent.click(screen.getByTestId('draw-submit'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('确定为第 3 期开奖？').length).toBeGreaterThan(0);
    expect(within(dialog).getByTestId('draw-confirm')).toHaveTextContent('将从第 3 期奖池的 1000 人中抽出中奖者');
    expect(client.executeMutation).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: /开\s*奖/ }));
    await waitFor(() => expect(onDrawn).toHaveBeenCalledWith(proof));
    expect(client.executeMutation.mock.calls[0][0].variables).toEqual({ periodID: 'p1', externalEntropy: SIG });
  });

  it('waits for the drand round and for the cutoff', async () => {
    renderWithProviders(<RunDrawForm period={period()} poolSize={10} timezone="Asia/Shanghai" now={Date.parse('2026-01-01T00:05:00Z')} onDrawn={() => {}} />, {
      session: testSession,
    });
    expect(screen.getByText(/随机源尚未产生/)).toBeInTheDocument();
    expect(screen.getByTestId('draw-submit')).toBeDisabled();
  });

  it('takes the declared result for a declared source', async () => {
    renderWithProviders(
      <RunDrawForm period={period({ entropySource: 'declared: 福彩3D 2026-01-01', entropyAvailableAt: null })} poolSize={10} timezone="Asia/Shanghai" onDrawn={() => {}} />,
      { session: testSession },
    );
    expect(screen.getByText('福彩3D 2026-01-01')).toBeInTheDocument();
    expect(screen.getByText('公开结果原文')).toBeInTheDocument();
  });
});
