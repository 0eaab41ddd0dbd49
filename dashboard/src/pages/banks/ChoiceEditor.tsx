import { useRef } from 'react';
import { Button, Checkbox, Flex, Input, Radio, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import {
  MAX_OPTION_TEXT,
  addOption,
  canAddOption,
  canRemoveOption,
  removeOption,
  setOptionText,
  toggleAnswer,
  validateChoice,
  type ChoiceDraft,
  type ChoiceProblem,
  type QuestionKind,
} from '../../lib/question';

/** The message of a problem in the UI language. */
export function useChoiceProblemText() {
  const { t } = useI18n();
  return (p: ChoiceProblem, d: ChoiceDraft) =>
    t(`choice.${p.code}` as MessageKey, { key: p.index != null ? (d.options[p.index]?.key ?? '') : '' });
}

export interface ChoiceEditorProps {
  kind: QuestionKind;
  value?: ChoiceDraft;
  onChange?: (v: ChoiceDraft) => void;
  /** show per-option problems (after the first submit) */
  showProblems?: boolean;
  disabled?: boolean;
}

/**
 * Options with their keys (A–F, assigned by position), add/remove between
 * 2 and 6, and the answer-key picker beside each option: a radio for
 * single choice and true/false, checkboxes for multiple choice. True/false
 * shows the fixed 正确/错误 pair.
 */
export function ChoiceEditor({ kind, value, onChange, showProblems, disabled }: ChoiceEditorProps) {
  const { t } = useI18n();
  const problemText = useChoiceProblemText();
  const d: ChoiceDraft = value ?? { options: [], answer: [] };
  const lastInput = useRef<HTMLInputElement | null>(null);
  const set = (next: ChoiceDraft) => onChange?.(next);
  const fixed = kind === 'TRUE_FALSE';
  const problems = showProblems ? validateChoice(d, kind) : [];
  const optionProblem = (i: number) => problems.find((p) => p.index === i);

  const rows = d.options.map((o, i) => {
    const correct = d.answer.includes(o.key);
    const problem = optionProblem(i);
    const picker =
      kind === 'MULTIPLE' ? (
        <Checkbox
          checked={correct}
          disabled={disabled}
          aria-label={`${t('questions.correct')} ${o.key}`}
          onChange={(e) => set(toggleAnswer(d, kind, o.key, e.target.checked))}
        >
          {t('questions.correct')}
        </Checkbox>
      ) : (
        <Radio
          checked={correct}
          disabled={disabled}
          aria-label={`${t('questions.correct')} ${o.key}`}
          onChange={() => set(toggleAnswer(d, kind, o.key, true))}
        >
          {t('questions.correct')}
        </Radio>
      );
    return (
      <div key={o.key} className={`pq-choice-row${correct ? ' is-correct' : ''}`} data-testid={`option-${o.key}`}>
        <Flex align="center" gap={8}>
          <span className="pq-choice-key">{o.key}</span>
          {fixed ? (
            <Typography.Text className="pq-choice-fixed">{o.text}</Typography.Text>
          ) : (
            <Input
              value={o.text}
              disabled={disabled}
              maxLength={MAX_OPTION_TEXT}
              status={problem ? 'error' : undefined}
              placeholder={t('questions.optionPlaceholder', { key: o.key })}
              aria-label={t('questions.optionPlaceholder', { key: o.key })}
              ref={(el) => {
                if (i === d.options.length - 1) lastInput.current = el?.input ?? null;
              }}
              onChange={(e) => set(setOptionText(d, i, e.target.value))}
            />
          )}
          <div className="pq-choice-pick">{picker}</div>
          {!fixed && (
            <Tooltip title={t('questions.removeOption')}>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={`${t('questions.removeOption')} ${o.key}`}
                disabled={disabled || !canRemoveOption(d, kind)}
                onClick={() => set(removeOption(d, kind, i))}
              />
            </Tooltip>
          )}
        </Flex>
        {problem && <div className="pq-choice-error">{problemText(problem, d)}</div>}
      </div>
    );
  });

  return (
    <div className="pq-choice-editor">
      {rows}
      {!fixed && (
        <Button
          type="dashed"
          block
          icon={<PlusOutlined />}
          disabled={disabled || !canAddOption(d, kind)}
          onClick={() => {
            set(addOption(d, kind));
            window.setTimeout(() => lastInput.current?.focus(), 0);
          }}
        >
          {t('questions.addOption')}
        </Button>
      )}
    </div>
  );
}
