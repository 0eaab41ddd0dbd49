import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import proof1000Text from '../../../../internal/draw/testdata/proof_pool1000.json?raw';
import { renderWithProviders } from '../../test/utils';
import type { ProofInput } from '../../lib/drawVerify';
import { VerifyProof } from './VerifyProof';
import { WinnerReveal, revealStep } from './WinnerReveal';

const proof = JSON.parse(proof1000Text) as ProofInput;

describe('VerifyProof', () => {
  it('recomputes a good proof and asks for the declared result to be checked by hand', async () => {
    renderWithProviders(<VerifyProof proof={proof} />);
    fireEvent.click(screen.getByTestId('proof-verify'));
    const result = await screen.findByTestId('proof-verify-result');
    expect(result).toHaveTextContent('验证通过：6 步全部重新计算一致');
    expect(result).toHaveTextContent('随机源为声明的公开结果，请人工核对');
    expect(result).toHaveTextContent('承诺记录声明的公开结果是“the 福彩3D numbers drawn on 2026-10-05”');
    expect(screen.getByTestId('verify-step-order')).toHaveAttribute('data-status', 'ok');
  });

  it('names the step that fails', async () => {
    const tampered = { ...proof, order: [...proof.order].reverse() };
    renderWithProviders(<VerifyProof proof={tampered} />, { lang: 'en' });
    fireEvent.click(screen.getByTestId('proof-verify'));
    const result = await screen.findByTestId('proof-verify-result');
    expect(result).toHaveTextContent('Verification failed: Draw re-run, same order');
    expect(within(screen.getByTestId('verify-step-order')).getByText(/position 1/)).toBeInTheDocument();
    expect(screen.getByTestId('verify-step-winners')).toHaveAttribute('data-status', 'skipped');
  });
});

describe('WinnerReveal', () => {
  it('shows every winner within the reveal time, in draw order', async () => {
    vi.useFakeTimers();
    try {
      const order = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(10, '0')}`);
      renderWithProviders(<WinnerReveal order={order} winnersCount={50} />);
      expect(screen.queryAllByTestId('revealed-winner')).toHaveLength(0);
      // each tick schedules the next once React has rendered
      for (let ms = 0; ms < 3000; ms += 100) {
        await act(async () => {
          vi.advanceTimersByTime(100);
        });
      }
      const tags = screen.getAllByTestId('revealed-winner');
      expect(tags).toHaveLength(50);
      expect(tags[0]).toHaveTextContent('#1 p0000000000');
      expect(screen.getByTestId('winner-reveal')).toHaveAttribute('data-done', 'true');
    } finally {
      vi.useRealTimers();
    }
  });

  it('paces big draws', () => {
    expect(revealStep(5)).toBe(1);
    expect(revealStep(520)).toBe(18);
  });
});
