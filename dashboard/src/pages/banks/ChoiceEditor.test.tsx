import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { ChoiceEditor } from './ChoiceEditor';
import { emptyChoice, type ChoiceDraft, type QuestionKind } from '../../lib/question';
import { renderWithProviders } from '../../test/utils';

function Harness({ kind, initial, onValue }: { kind: QuestionKind; initial?: ChoiceDraft; onValue?: (d: ChoiceDraft) => void }) {
  const [v, setV] = useState<ChoiceDraft>(initial ?? emptyChoice(kind));
  return (
    <ChoiceEditor
      kind={kind}
      value={v}
      showProblems
      onChange={(d) => {
        setV(d);
        onValue?.(d);
      }}
    />
  );
}

const keysShown = () => Array.from(document.querySelectorAll('.pq-choice-key')).map((e) => e.textContent);

describe('ChoiceEditor', () => {
  it('adds options with the next key up to F, then stops', () => {
    renderWithProviders(<Harness kind="SINGLE" />);
    expect(keysShown()).toEqual(['A', 'B', 'C', 'D']);
    const add = screen.getByRole('button', { name: /添加选项/ });
    fireEvent.click(add);
    fireEvent.click(add);
    expect(keysShown()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(add).toBeDisabled();
  });

  it('re-keys after a removal and keeps at least 2 options', () => {
    let last: ChoiceDraft | undefined;
    renderWithProviders(<Harness kind="SINGLE" onValue={(d) => (last = d)} />);
    fireEvent.change(screen.getByLabelText('选项 C 的内容'), { target: { value: '第三项' } });
    fireEvent.click(screen.getByRole('button', { name: '删除选项 B' }));
    expect(keysShown()).toEqual(['A', 'B', 'C']);
    expect((screen.getByLabelText('选项 B 的内容') as HTMLInputElement).value).toBe('第三项');
    fireEvent.click(screen.getByRole('button', { name: '删除选项 C' }));
    expect(keysShown()).toEqual(['A', 'B']);
    expect(screen.getByRole('button', { name: '删除选项 A' })).toBeDisabled();
    expect(last?.options).toHaveLength(2);
  });

  it('picks one answer with radios for single choice', () => {
    let last: ChoiceDraft | undefined;
    renderWithProviders(<Harness kind="SINGLE" onValue={(d) => (last = d)} />);
    fireEvent.click(screen.getByLabelText('正确答案 B'));
    fireEvent.click(screen.getByLabelText('正确答案 D'));
    expect(last?.answer).toEqual(['D']);
    expect(screen.getByTestId('option-D')).toHaveClass('is-correct');
    expect(screen.getByTestId('option-B')).not.toHaveClass('is-correct');
  });

  it('ticks several answers with checkboxes for multiple choice', () => {
    let last: ChoiceDraft | undefined;
    renderWithProviders(<Harness kind="MULTIPLE" onValue={(d) => (last = d)} />);
    fireEvent.click(screen.getByLabelText('正确答案 C'));
    fireEvent.click(screen.getByLabelText('正确答案 A'));
    expect(last?.answer).toEqual(['A', 'C']);
    fireEvent.click(screen.getByLabelText('正确答案 C'));
    expect(last?.answer).toEqual(['A']);
  });

  it('shows the fixed 正确/错误 pair for true/false, with no add or remove', () => {
    renderWithProviders(<Harness kind="TRUE_FALSE" />);
    expect(keysShown()).toEqual(['A', 'B']);
    expect(screen.getByText('正确')).toBeInTheDocument();
    expect(screen.getByText('错误')).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /添加选项/ })).toBeNull();
  });

  it('marks empty and repeated options', () => {
    const initial: ChoiceDraft = {
      options: [
        { key: 'A', text: '甲' },
        { key: 'B', text: '' },
        { key: 'C', text: '甲' },
      ],
      answer: ['A'],
    };
    renderWithProviders(<Harness kind="SINGLE" initial={initial} />);
    expect(screen.getByText('选项 B 的内容不能为空')).toBeInTheDocument();
    expect(screen.getByText('选项 C 与前面的选项重复')).toBeInTheDocument();
  });
});
