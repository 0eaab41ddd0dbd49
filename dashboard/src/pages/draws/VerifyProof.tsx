import { useState } from 'react';
import { Alert, Button, List, Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';
import { firstFailure, verifyProof, type ProofInput, type StepResult, type VerifyOptions } from '../../lib/drawVerify';

const ICON = {
  ok: <CheckCircleFilled style={{ color: '#52c41a' }} />,
  failed: <CloseCircleFilled style={{ color: '#ff4d4f' }} />,
  skipped: <MinusCircleOutlined style={{ color: '#bfbfbf' }} />,
};

/**
 * 验证: recomputes the proof in this browser (record, seed, pool, entropy
 * with the drand signature, the shuffle, the winners) and says which step
 * fails, without asking the server.
 */
export function VerifyProof({ proof, options }: { proof: ProofInput; options?: VerifyOptions }) {
  const { t } = useI18n();
  const [steps, setSteps] = useState<StepResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setSteps(await verifyProof(proof, options));
    } finally {
      setBusy(false);
    }
  };
  const failed = steps ? firstFailure(steps) : null;
  const notes = (steps ?? []).filter((s) => s.note);
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="proof-verify-panel">
      <Space wrap>
        <Button type="primary" ghost icon={<SafetyCertificateOutlined />} loading={busy} onClick={run} data-testid="proof-verify">
          {steps ? t('verify.again') : t('verify.button')}
        </Button>
        <Typography.Text type="secondary">{t('verify.hint')}</Typography.Text>
      </Space>
      {steps && (
        <div data-testid="proof-verify-result">
          {failed ? (
            <Alert type="error" showIcon title={t('verify.failed', { step: t(`verify.step.${failed.step}` as MessageKey) })} description={failed.error} />
          ) : (
            <Alert type="success" showIcon title={t('verify.passed', { n: steps.length })} />
          )}
          {notes.map((s) => (
            <Alert
              key={s.step}
              style={{ marginTop: 8 }}
              type="warning"
              showIcon
              title={t('verify.declaredNote')}
              description={s.declared ? t('verify.declaredDetail', { text: s.declared.text, entropy: s.declared.entropy }) : s.note}
            />
          ))}
          <List
            size="small"
            style={{ marginTop: 8 }}
            dataSource={steps}
            renderItem={(s, i) => (
              <List.Item key={s.step} data-testid={`verify-step-${s.step}`} data-status={s.status}>
                <Space align="start">
                  {ICON[s.status]}
                  <span>
                    {i + 1}. {t(`verify.step.${s.step}` as MessageKey)}
                    {s.status === 'skipped' && <Typography.Text type="secondary"> · {t('verify.skipped')}</Typography.Text>}
                    {s.error && (
                      <Typography.Text type="danger" style={{ display: 'block', wordBreak: 'break-all', fontSize: 12 }}>
                        {s.error}
                      </Typography.Text>
                    )}
                  </span>
                </Space>
              </List.Item>
            )}
          />
        </div>
      )}
    </Space>
  );
}
