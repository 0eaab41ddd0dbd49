import { useState } from 'react';
import { Alert, App, Button, Form, Input, Space, Typography } from 'antd';
import { ExportOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation } from 'urql';
import { useI18n } from '../../i18n/I18nContext';
import { errorLine } from '../../api/errors';
import { formatInTz } from '../../lib/format';
import { drandRoundURL, drawReadiness, entropyProblem, normalizeEntropy, parsePeriodEntropy, type PeriodDrawState } from '../../lib/draw';
import type { DrawProofFieldsFragment } from '../../gql/graphql';
import { RunDrawMutation } from './operations';

export interface RunDrawFormProps {
  period: PeriodDrawState & { id: string; index: number; entropySource?: string | null };
  poolSize: number;
  timezone: string;
  now?: number;
  onDrawn: (proof: DrawProofFieldsFragment) => void;
}

/** 开奖: the entropy of the period's named source, checked, confirmed, then runDraw. */
export function RunDrawForm({ period, poolSize, timezone, now, onDrawn }: RunDrawFormProps) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ entropy: string }>();
  const [{ fetching }, runDraw] = useMutation(RunDrawMutation);
  const [error, setError] = useState<string | null>(null);
  const info = parsePeriodEntropy(period.entropySource);
  const readiness = drawReadiness(period, now);

  const submit = ({ entropy }: { entropy: string }) => {
    const value = normalizeEntropy(info, entropy);
    modal.confirm({
      title: t('draw.confirmTitle', { index: period.index }),
      content: (
        <div data-testid="draw-confirm">
          <p>{t('draw.confirmBody', { index: period.index, n: poolSize })}</p>
          <Typography.Paragraph type="secondary" style={{ wordBreak: 'break-all', marginBottom: 0 }}>
            {t('draw.entropy')}
            {t('common.colon')}
            <code>{value}</code>
          </Typography.Paragraph>
        </div>
      ),
      okText: t('draw.run'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        setError(null);
        const res = await runDraw({ periodID: period.id, externalEntropy: value });
        if (res.error || !res.data) {
          const line = errorLine(res.error, lang);
          setError(line);
          message.error(line);
          return;
        }
        message.success(t('draw.done', { index: period.index }));
        onDrawn(res.data.runDraw);
      },
    });
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="run-draw">
      {info.kind === 'drand' ? (
        <Alert
          type="info"
          showIcon
          title={t('draw.drandHint', { round: info.round })}
          description={
            <Space orientation="vertical" size={2}>
              <span>{period.entropyAvailableAt ? t('draw.availableAt', { time: formatInTz(period.entropyAvailableAt, timezone, 'YYYY-MM-DD HH:mm:ss') }) : null}</span>
              <Typography.Link href={drandRoundURL(info.round)} target="_blank" rel="noreferrer">
                {drandRoundURL(info.round)} <ExportOutlined />
              </Typography.Link>
              <Typography.Text type="secondary">{t('draw.drandHowTo')}</Typography.Text>
            </Space>
          }
        />
      ) : (
        <Alert type="info" showIcon title={t('draw.declaredHint')} description={info.text} />
      )}
      {readiness === 'notClosed' && <Alert type="warning" showIcon title={t('draw.notClosed')} />}
      {readiness === 'entropyPending' && <Alert type="warning" showIcon title={t('draw.entropyPending')} />}
      {error && <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} />}
      <Form form={form} layout="vertical" onFinish={submit} disabled={readiness !== 'ready'}>
        <Form.Item
          name="entropy"
          label={info.kind === 'drand' ? t('draw.signatureLabel', { round: info.round }) : t('draw.declaredLabel')}
          rules={[
            {
              validator: (_r, v: string | undefined) => {
                const p = entropyProblem(info, v ?? '');
                return p ? Promise.reject(new Error(t(`draw.entropy.${p}`))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            placeholder={info.kind === 'drand' ? t('draw.signaturePlaceholder') : t('draw.declaredPlaceholder')}
            style={{ fontFamily: 'monospace' }}
            data-testid="draw-entropy"
          />
        </Form.Item>
        <Button type="primary" danger htmlType="submit" icon={<ThunderboltOutlined />} loading={fetching} data-testid="draw-submit">
          {t('draw.run')}
        </Button>
      </Form>
    </Space>
  );
}
