import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { MinusCircleOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import {
  CAMPAIGN_DEFAULTS,
  CAMPAIGN_LIMITS,
  campaignFormDefaults,
  countPeriods,
  periodSecondsOf,
  splitPeriod,
  type CampaignFormValues,
  type PeriodUnit,
} from '../../lib/campaign';
import { COMMON_TIMEZONES, DEFAULT_TIMEZONE, formatSeconds, isValidTimezone, tzOffsetLabel, wallClockToISO } from '../../lib/format';
import type { DescribedError } from '../../api/errors';

export interface BankOption {
  id: string;
  name: string;
  archived?: boolean;
}

/** Which form field a server message's field ("poolSize: …") belongs to. */
export function formFieldOfCampaignError(field?: string): keyof CampaignFormValues | undefined {
  switch (field) {
    case 'name':
    case 'description':
    case 'bankID':
    case 'timezone':
    case 'questionsPerAttempt':
    case 'timeLimitSeconds':
    case 'graceSeconds':
    case 'pointsPerQuestion':
    case 'rankingMode':
    case 'poolSize':
    case 'winnersPerPeriod':
    case 'maxAttemptsPerDay':
      return field;
    case 'startsAt':
    case 'endsAt':
      return 'window';
    case 'periodSeconds':
      return 'periodValue';
    case 'entropySource':
      return 'entropyKind';
    case 'categoryQuotas':
      return 'categoryQuotas';
    default:
      return undefined;
  }
}

/**
 * Enter in a field (confirming a typed date, a number) must not create or
 * save the campaign: only the button does. The field's own Enter handling
 * has run by the time the event reaches the form.
 */
export function preventEnterSubmit(e: { key: string; target: EventTarget | null; preventDefault: () => void }) {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
}

export interface CampaignFormProps {
  banks: BankOption[];
  banksLoading?: boolean;
  categories?: string[];
  submitting?: boolean;
  serverError?: DescribedError | null;
  initialValues?: CampaignFormValues;
  onSubmit: (values: CampaignFormValues) => void;
  onCancel?: () => void;
  form?: ReturnType<typeof Form.useForm<CampaignFormValues>>[0];
  /** the campaign has started: only name, description and the end may change */
  locked?: boolean;
  /** why the rules are locked, shown above the form */
  lockedNote?: ReactNode;
  submitText?: string;
}

const RULE_KEYS = [
  'questionsPerAttempt',
  'timeLimitSeconds',
  'graceSeconds',
  'pointsPerQuestion',
  'rankingMode',
  'periodValue',
  'periodUnit',
  'poolSize',
  'winnersPerPeriod',
  'excludePreviousWinners',
  'maxAttemptsPerDay',
  'entropyKind',
  'entropyDeclared',
] as const;

/**
 * The campaign form: every rule of SPEC §1 pre-filled with its default and
 * explained in its label's tooltip; the window is picked as wall-clock
 * times in the campaign's zone.
 */
export function CampaignForm({
  banks,
  banksLoading,
  categories = [],
  submitting,
  serverError,
  initialValues,
  onSubmit,
  onCancel,
  form: given,
  locked = false,
  lockedNote,
  submitText,
}: CampaignFormProps) {
  const { t, lang } = useI18n();
  const [own] = Form.useForm<CampaignFormValues>();
  const form = given ?? own;
  const [initial] = useState(() => initialValues ?? campaignFormDefaults());

  const tz = (Form.useWatch('timezone', form) as string | undefined) ?? initial.timezone;
  const window_ = Form.useWatch('window', form) as CampaignFormValues['window'] | undefined;
  const qpa = Form.useWatch('questionsPerAttempt', form) as number | undefined;
  const points = Form.useWatch('pointsPerQuestion', form) as number | undefined;
  const timeLimit = Form.useWatch('timeLimitSeconds', form) as number | undefined;
  const periodValue = Form.useWatch('periodValue', form) as number | undefined;
  const periodUnit = Form.useWatch('periodUnit', form) as PeriodUnit | undefined;
  const entropyKind = Form.useWatch('entropyKind', form) as string | undefined;
  const rankingMode = Form.useWatch('rankingMode', form) as string | undefined;

  const tzOK = isValidTimezone(tz);
  const periods = useMemo(() => {
    if (!window_?.[0] || !window_?.[1] || !tzOK || !periodValue || !periodUnit) return 0;
    return countPeriods(wallClockToISO(window_[0], tz), wallClockToISO(window_[1], tz), periodSecondsOf({ periodValue, periodUnit }));
  }, [window_, tz, tzOK, periodValue, periodUnit]);

  const range = (key: keyof typeof CAMPAIGN_LIMITS): Rule => {
    const [min, max] = CAMPAIGN_LIMITS[key] as readonly [number, number];
    return { type: 'number', min, max, message: t('form.range', { min, max }) };
  };
  const required: Rule = { required: true, message: t('form.required') };
  const tip = (k: MessageKey) => ({ title: t(k) });
  const defaultText = (v: string | number) => t('common.default', { value: v });

  const resetRules = () => {
    const d = campaignFormDefaults();
    const patch: Partial<CampaignFormValues> = {};
    for (const k of RULE_KEYS) (patch as Record<string, unknown>)[k] = d[k];
    form.setFieldsValue(patch);
    void form.validateFields([...RULE_KEYS]).catch(() => undefined);
  };

  // An archived bank stays selectable as the campaign's own (editing keeps it).
  const bankOptions = banks.filter((b) => !b.archived || b.id === initial.bankID).map((b) => ({ value: b.id, label: b.name }));

  const tzOptions = COMMON_TIMEZONES.map((z) => ({ value: z, label: `${z} (${tzOffsetLabel(z)})` }));
  const defaultPeriod = splitPeriod(CAMPAIGN_DEFAULTS.periodSeconds);
  const unitLabel = (u: PeriodUnit) => t(`form.unit.${u}`);

  return (
    <Form<CampaignFormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={onSubmit}
      scrollToFirstError
      requiredMark
      className="pq-campaign-form"
      onKeyDown={preventEnterSubmit}
    >
      {locked && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('form.lockedTitle')} description={lockedNote} data-testid="campaign-locked" />}
      {serverError && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('form.serverError')} description={serverError.detail ?? serverError.title} />
      )}
      <Card title={t('form.section.basic')} style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          <Col xs={24} xl={12}>
            <Form.Item
              name="name"
              label={t('campaigns.name')}
              rules={[
                { required: true, whitespace: true, message: t('form.nameRequired') },
                { max: CAMPAIGN_LIMITS.name, message: t('form.nameTooLong', { n: CAMPAIGN_LIMITS.name }) },
              ]}
            >
              <Input maxLength={CAMPAIGN_LIMITS.name} placeholder={t('form.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={12}>
            <Form.Item name="bankID" label={t('campaigns.bank')} rules={[{ required: true, message: t('form.bankRequired') }]}>
              <Select
                loading={banksLoading}
                options={bankOptions}
                placeholder={t('form.bankPlaceholder')}
                showSearch={{ optionFilterProp: 'label' }}
                disabled={locked}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('common.description')}>
              <Input.TextArea rows={2} maxLength={2000} placeholder={t('form.descriptionPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={8}>
            <Form.Item
              name="timezone"
              label={t('form.timezone')}
              tooltip={tip('form.timezoneTip')}
              extra={defaultText(DEFAULT_TIMEZONE)}
              rules={[
                required,
                { validator: async (_, v: string) => { if (v && !isValidTimezone(v)) throw new Error(t('form.timezoneInvalid')); } },
              ]}
            >
              <AutoComplete
                options={tzOptions}
                disabled={locked}
                showSearch={{ filterOption: (input, o) => String(o?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} xl={16}>
            <Form.Item
              name="window"
              label={t('form.window')}
              tooltip={tip('form.windowTip')}
              extra={t('form.windowExtra', { tz, offset: tzOK ? tzOffsetLabel(tz) : '?', n: periods })}
              rules={[
                { required: true, message: t('form.windowRequired') },
                {
                  validator: async (_, v?: CampaignFormValues['window']) => {
                    if (v?.[0] && v?.[1] && !v[1].isAfter(v[0])) throw new Error(t('form.windowOrder'));
                  },
                },
              ]}
            >
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm:ss' }}
                format="YYYY-MM-DD HH:mm:ss"
                style={{ width: '100%' }}
                allowClear={false}
                disabled={[locked, false]}
                data-testid="campaign-window"
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card
        title={t('form.section.play')}
        style={{ marginBottom: 16 }}
        extra={
          !locked && (
            <Button size="small" icon={<UndoOutlined />} onClick={resetRules}>
              {t('form.resetDefaults')}
            </Button>
          )
        }
      >
        <Row gutter={24}>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="questionsPerAttempt"
              label={t('form.questionsPerAttempt')}
              tooltip={tip('form.questionsPerAttemptTip')}
              extra={defaultText(`${CAMPAIGN_DEFAULTS.questionsPerAttempt} ${t('common.questions')}`)}
              rules={[required, range('questionsPerAttempt')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.questions')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="timeLimitSeconds"
              label={t('form.timeLimitSeconds')}
              tooltip={tip('form.timeLimitSecondsTip')}
              extra={`${timeLimit ? '= ' + formatSeconds(timeLimit, lang) + ' · ' : ''}${defaultText(`${CAMPAIGN_DEFAULTS.timeLimitSeconds} ${t('common.seconds')}`)}`}
              rules={[required, range('timeLimitSeconds')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.seconds')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="graceSeconds"
              label={t('form.graceSeconds')}
              tooltip={tip('form.graceSecondsTip')}
              extra={defaultText(`${CAMPAIGN_DEFAULTS.graceSeconds} ${t('common.seconds')}`)}
              rules={[required, range('graceSeconds')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.seconds')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="pointsPerQuestion"
              label={t('form.pointsPerQuestion')}
              tooltip={tip('form.pointsPerQuestionTip')}
              extra={`${qpa && points ? t('form.fullScore', { n: qpa * points }) + ' · ' : ''}${defaultText(`${CAMPAIGN_DEFAULTS.pointsPerQuestion} ${t('common.points')}`)}`}
              rules={[required, range('pointsPerQuestion')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.points')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="maxAttemptsPerDay"
              label={t('form.maxAttemptsPerDay')}
              tooltip={tip('form.maxAttemptsPerDayTip')}
              extra={defaultText(t('common.unlimited'))}
              rules={[range('maxAttemptsPerDay')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} placeholder={t('common.unlimited')} suffix={t('common.times')} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('form.section.draw')} style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          <Col xs={24} xl={12}>
            <Form.Item
              name="rankingMode"
              label={t('form.rankingMode')}
              tooltip={tip('form.rankingModeTip')}
              extra={`${t(`form.rankingMode.${rankingMode ?? 'BEST_ATTEMPT'}.hint` as MessageKey)} · ${defaultText(t('form.rankingMode.BEST_ATTEMPT'))}`}
              rules={[required]}
            >
              <Radio.Group
                disabled={locked}
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: 'BEST_ATTEMPT', label: t('form.rankingMode.BEST_ATTEMPT') },
                  { value: 'TOTAL_SCORE', label: t('form.rankingMode.TOTAL_SCORE') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} xl={12}>
            <Form.Item
              label={t('form.period')}
              tooltip={tip('form.periodTip')}
              required
              extra={defaultText(`${defaultPeriod.value} ${unitLabel(defaultPeriod.unit)}`)}
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item
                  name="periodValue"
                  noStyle
                  dependencies={['periodUnit', 'window', 'timezone']}
                  rules={[
                    required,
                    {
                      validator: async (_, v: number) => {
                        const secs = periodSecondsOf({ periodValue: v, periodUnit: form.getFieldValue('periodUnit') });
                        const [min, max] = CAMPAIGN_LIMITS.periodSeconds;
                        if (v == null) return;
                        if (secs < min || secs > max) throw new Error(t('form.range', { min: formatSeconds(min, lang), max: formatSeconds(max, lang) }));
                        if (periods > CAMPAIGN_LIMITS.maxPeriods) throw new Error(t('form.periodTooMany', { n: CAMPAIGN_LIMITS.maxPeriods }));
                      },
                    },
                  ]}
                >
                  <InputNumber disabled={locked} precision={0} min={1} style={{ width: '60%' }} aria-label={t('form.period')} />
                </Form.Item>
                <Form.Item name="periodUnit" noStyle>
                  <Select
                    disabled={locked}
                    style={{ width: '40%' }}
                    options={(['day', 'hour', 'minute', 'second'] as PeriodUnit[]).map((u) => ({ value: u, label: unitLabel(u) }))}
                  />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Form.Item
              name="poolSize"
              label={t('form.poolSize')}
              tooltip={tip('form.poolSizeTip')}
              extra={defaultText(`${CAMPAIGN_DEFAULTS.poolSize} ${t('common.people')}`)}
              rules={[required, range('poolSize')]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.people')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Form.Item
              name="winnersPerPeriod"
              label={t('form.winnersPerPeriod')}
              tooltip={tip('form.winnersPerPeriodTip')}
              extra={defaultText(`${CAMPAIGN_DEFAULTS.winnersPerPeriod} ${t('common.people')}`)}
              dependencies={['poolSize']}
              rules={[
                required,
                { type: 'number', min: 0, message: t('form.range', { min: 0, max: CAMPAIGN_LIMITS.poolSize[1] }) },
                ({ getFieldValue }) => ({
                  validator: async (_, v: number) => {
                    const pool = getFieldValue('poolSize') as number | undefined;
                    if (v != null && pool != null && v > pool) throw new Error(t('form.winnersTooMany'));
                  },
                }),
              ]}
            >
              <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} suffix={t('common.people')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Form.Item
              name="excludePreviousWinners"
              label={t('form.excludePreviousWinners')}
              tooltip={tip('form.excludePreviousWinnersTip')}
              extra={defaultText(t('common.yes'))}
              valuePropName="checked"
            >
              <Switch disabled={locked} checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              label={t('form.entropySource')}
              tooltip={tip('form.entropySourceTip')}
              extra={defaultText('drand-quicknet')}
              required
            >
              <Flex vertical gap={8}>
                <Form.Item name="entropyKind" noStyle>
                  <Radio.Group
                    disabled={locked}
                    options={[
                      { value: 'drand', label: t('form.entropy.drand') },
                      { value: 'declared', label: t('form.entropy.declared') },
                    ]}
                  />
                </Form.Item>
                {entropyKind === 'declared' && (
                  <Form.Item
                    name="entropyDeclared"
                    noStyle
                    rules={[{ required: true, whitespace: true, message: t('form.entropyDeclaredRequired') }]}
                  >
                    <Input disabled={locked} prefix={<Typography.Text type="secondary">declared:</Typography.Text>} placeholder={t('form.entropyDeclaredPlaceholder')} maxLength={500} />
                  </Form.Item>
                )}
              </Flex>
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card title={t('form.section.quotas')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('form.quotasTip')}</Typography.Paragraph>
        <Form.List
          name="categoryQuotas"
          rules={[
            {
              validator: async (_, list?: { category?: string; count?: number }[]) => {
                const rows = (list ?? []).filter((q) => q?.category?.trim());
                const sum = rows.reduce((s, q) => s + (q.count ?? 0), 0);
                const max = form.getFieldValue('questionsPerAttempt') as number;
                if (max && sum > max) throw new Error(t('form.quotaSumTooMany', { sum, max }));
                const names = rows.map((q) => q.category!.trim());
                if (new Set(names).size !== names.length) throw new Error(t('form.quotaDuplicate'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="baseline">
                  <Form.Item name={[f.name, 'category']} rules={[{ required: true, whitespace: true, message: t('form.required') }]} style={{ flex: 2 }}>
                    <AutoComplete disabled={locked} options={categories.map((c) => ({ value: c }))} placeholder={t('form.quotaCategory')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'count']} rules={[required, { type: 'number', min: 1, message: t('form.range', { min: 1, max: qpa ?? 1 }) }]} style={{ flex: 1 }}>
                    <InputNumber disabled={locked} precision={0} style={{ width: '100%' }} placeholder={t('form.quotaCount')} suffix={t('common.questions')} />
                  </Form.Item>
                  {!locked && <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="remove quota" />}
                </Flex>
              ))}
              {!locked && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ category: '', count: 1 })}>
                  {t('form.quotaAdd')}
                </Button>
              )}
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Card>

      <Flex justify="flex-end" gap={8} className="pq-form-actions">
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="campaign-submit">
          {submitText ?? t('form.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
