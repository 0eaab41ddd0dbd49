import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, AutoComplete, Button, Drawer, Form, Input, Radio, Space, Switch } from 'antd';
import { useMutation } from 'urql';
import { useI18n } from '../../i18n/I18nContext';
import { describeError, errorLine, type DescribedError } from '../../api/errors';
import {
  MAX_CATEGORY,
  MAX_EXPLANATION,
  MAX_STEM,
  KINDS,
  changeKind,
  emptyChoice,
  normalizeChoice,
  validateChoice,
  type ChoiceDraft,
  type OptionDraft,
  type QuestionKind,
} from '../../lib/question';
import type { QuestionFieldsFragment } from '../../gql/graphql';
import { ChoiceEditor, useChoiceProblemText } from './ChoiceEditor';
import { CreateQuestionMutation, UpdateQuestionMutation } from './operations';

export interface QuestionFormValues {
  kind: QuestionKind;
  stem: string;
  choice: ChoiceDraft;
  explanation?: string;
  category?: string;
  enabled: boolean;
}

export function initialQuestionValues(q?: QuestionFieldsFragment | null): QuestionFormValues {
  if (!q) return { kind: 'SINGLE', stem: '', choice: emptyChoice('SINGLE'), explanation: '', category: '', enabled: true };
  return {
    kind: q.kind as QuestionKind,
    stem: q.stem,
    choice: { options: q.options.map((o) => ({ key: o.key, text: o.text })), answer: [...q.answer] },
    explanation: q.explanation ?? '',
    category: q.category ?? '',
    enabled: q.enabled,
  };
}

/** Which form field a server message ("options[1].text: …") belongs to. */
export function formFieldOfServerError(field?: string): keyof QuestionFormValues | undefined {
  switch (field) {
    case 'stem':
    case 'kind':
    case 'explanation':
    case 'category':
      return field;
    case 'options':
    case 'answer':
      return 'choice';
    default:
      return undefined;
  }
}

export interface QuestionDrawerProps {
  open: boolean;
  bankID: string;
  /** the question to edit; absent to create one */
  question?: QuestionFieldsFragment | null;
  categories: string[];
  onClose: () => void;
  onSaved: (q: QuestionFieldsFragment) => void;
}

export function QuestionDrawer({ open, bankID, question, categories, onClose, onSaved }: QuestionDrawerProps) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<QuestionFormValues>();
  const kind = (Form.useWatch('kind', form) ?? 'SINGLE') as QuestionKind;
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<DescribedError | null>(null);
  const remembered = useRef<OptionDraft[] | undefined>(undefined);
  const problemText = useChoiceProblemText();
  const [create, runCreate] = useMutation(CreateQuestionMutation);
  const [update, runUpdate] = useMutation(UpdateQuestionMutation);
  const editing = !!question;

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(initialQuestionValues(question));
    setSubmitted(false);
    setServerError(null);
    remembered.current = undefined;
  }, [open, question, form]);

  const categoryOptions = useMemo(() => categories.map((c) => ({ value: c })), [categories]);

  const onKindChange = (next: QuestionKind) => {
    // `kind` is still the value of the last render: Form.Item has already
    // stored `next` by the time this runs.
    const prev = kind;
    const choice = form.getFieldValue('choice') as ChoiceDraft;
    if (next === 'TRUE_FALSE' && prev !== 'TRUE_FALSE') remembered.current = choice.options;
    form.setFieldsValue({ kind: next, choice: changeKind(choice, prev, next, remembered.current) });
    if (submitted) void form.validateFields(['choice']).catch(() => undefined);
  };

  const submit = async () => {
    setSubmitted(true);
    setServerError(null);
    let v: QuestionFormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const choice = normalizeChoice(v.choice);
    const common = {
      kind: v.kind,
      stem: v.stem.trim(),
      options: choice.options,
      answer: choice.answer,
      category: v.category?.trim() ?? '',
      enabled: v.enabled,
    };
    const explanation = v.explanation?.trim() ?? '';
    const res = editing
      ? await runUpdate({ id: question!.id, input: { ...common, explanation } })
      : await runCreate({ input: { ...common, bankID, explanation: explanation || null, category: common.category || null } });
    if (res.error || !res.data) {
      const d = describeError(res.error, lang);
      const field = d.code === 'BAD_USER_INPUT' ? formFieldOfServerError(d.field) : undefined;
      if (field) form.setFields([{ name: field, errors: [d.detail ?? d.title] }]);
      if (d.code === 'BAD_USER_INPUT') setServerError(d);
      else message.error(errorLine(res.error, lang));
      return;
    }
    const saved = 'createQuestion' in res.data ? res.data.createQuestion : res.data.updateQuestion;
    message.success(editing ? t('questions.updated') : t('questions.created'));
    onSaved(saved);
  };

  const answerHint =
    kind === 'MULTIPLE' ? t('questions.answerHintMultiple') : kind === 'TRUE_FALSE' ? t('questions.answerHintTrueFalse') : t('questions.answerHintSingle');

  return (
    <Drawer
      open={open}
      size={640}
      title={editing ? t('questions.edit') : t('questions.create')}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.fetching || update.fetching} onClick={submit} data-testid="question-submit">
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      {serverError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('form.serverError')}
          description={serverError.detail ?? serverError.title}
          closable={{ onClose: () => setServerError(null) }}
        />
      )}
      <Form form={form} layout="vertical" initialValues={initialQuestionValues(question)} requiredMark>
        <Form.Item name="kind" label={t('questions.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            onChange={(e) => onKindChange(e.target.value as QuestionKind)}
          />
        </Form.Item>
        <Form.Item
          name="stem"
          label={t('questions.stem')}
          rules={[
            { required: true, whitespace: true, message: t('questions.stemRequired') },
            { max: MAX_STEM, message: t('questions.stemTooLong', { n: MAX_STEM }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={MAX_STEM} showCount placeholder={t('questions.stemPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="choice"
          label={`${t('questions.options')} / ${t('questions.answer')}`}
          required
          extra={`${kind === 'TRUE_FALSE' ? '' : t('questions.optionsHint') + t('questions.hintSep')}${answerHint}`}
          rules={[
            {
              validator: async (_, value: ChoiceDraft) => {
                const problems = validateChoice(value ?? { options: [], answer: [] }, kind);
                // Per-option problems show beside the option; the rest here.
                const general = problems.find((p) => p.index == null);
                if (general) throw new Error(problemText(general, value));
                if (problems.length > 0) throw new Error(problemText(problems[0], value));
              },
            },
          ]}
        >
          <ChoiceEditor kind={kind} showProblems={submitted} />
        </Form.Item>
        <Form.Item
          name="explanation"
          label={t('questions.explanation')}
          rules={[{ max: MAX_EXPLANATION, message: t('questions.explanationTooLong', { n: MAX_EXPLANATION }) }]}
        >
          <Input.TextArea rows={3} maxLength={MAX_EXPLANATION} showCount placeholder={t('questions.explanationPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="category"
          label={t('questions.category')}
          rules={[{ max: MAX_CATEGORY, message: t('questions.categoryTooLong', { n: MAX_CATEGORY }) }]}
        >
          <AutoComplete
            options={categoryOptions}
            placeholder={t('questions.categoryPlaceholder')}
            maxLength={MAX_CATEGORY}
            allowClear
            showSearch={{
              filterOption: (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase()),
            }}
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('questions.enabled')} valuePropName="checked" extra={t('questions.enabledHint')}>
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
