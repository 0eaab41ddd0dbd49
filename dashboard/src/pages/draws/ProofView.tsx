import { App, Button, Descriptions, Space, Table, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18nContext';
import { formatInTz } from '../../lib/format';
import { proofFileName, proofJSON } from '../../lib/draw';
import { saveText } from '../../lib/download';
import type { DrawProofFieldsFragment } from '../../gql/graphql';
import { VerifyProof } from './VerifyProof';

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' as const };

function Pre({ text }: { text: string }) {
  return (
    <pre className="pq-pre" style={{ maxHeight: 200, overflow: 'auto', margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', ...mono }}>
      {text}
    </pre>
  );
}

/** Every field of the draw proof, with copy and download as the JSON `prizequiz verify-draw` reads. */
export function ProofView({ proof, campaignPublicID, periodIndex, timezone }: { proof: DrawProofFieldsFragment; campaignPublicID: string; periodIndex: number; timezone: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const json = proofJSON(proof);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(json);
      message.success(t('draw.proofCopied'));
    } catch {
      message.error(t('draw.copyFailed'));
    }
  };
  const hex = (v: string) => (
    <Typography.Text copyable style={mono}>
      {v}
    </Typography.Text>
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="draw-proof">
      <Space wrap>
        <Button icon={<CopyOutlined />} onClick={copy}>
          {t('draw.copyProof')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => saveText(json, proofFileName(campaignPublicID, periodIndex))} data-testid="proof-download">
          {t('draw.downloadProof')}
        </Button>
        <Typography.Text type="secondary">{t('draw.verifyHint')}</Typography.Text>
      </Space>
      <VerifyProof proof={proof} />
      <Descriptions
        bordered
        size="small"
        column={1}
        styles={{ label: { width: 170 } }}
        items={[
          { key: 'algorithm', label: t('proof.algorithm'), children: proof.algorithm },
          { key: 'drawnAt', label: t('proof.drawnAt'), children: formatInTz(proof.drawnAt, timezone, 'YYYY-MM-DD HH:mm:ss') },
          { key: 'commitmentRecord', label: t('proof.commitmentRecord'), children: <Pre text={proof.commitmentRecord} /> },
          { key: 'commitmentDigest', label: t('proof.commitmentDigest'), children: hex(proof.commitmentDigest) },
          { key: 'poolFile', label: t('proof.poolFile'), children: <Pre text={proof.poolFile} /> },
          { key: 'poolDigest', label: t('proof.poolDigest'), children: hex(proof.poolDigest) },
          { key: 'entropySource', label: t('proof.entropySource'), children: proof.entropySource },
          { key: 'entropy', label: t('proof.entropy'), children: hex(proof.entropy) },
          { key: 'entropyDigest', label: t('proof.entropyDigest'), children: hex(proof.entropyDigest) },
          { key: 'serverSeed', label: t('proof.serverSeed'), children: hex(proof.serverSeed) },
          { key: 'winnersCount', label: t('proof.winnersCount'), children: proof.winnersCount },
          { key: 'winnersDigest', label: t('proof.winnersDigest'), children: hex(proof.winnersDigest) },
          {
            key: 'order',
            label: t('proof.order', { n: proof.order.length }),
            children: <Pre text={proof.order.map((id, i) => `${i + 1}\t${id}${i < proof.winnersCount ? '' : `\t${t('winners.alternate')}`}`).join('\n')} />,
          },
        ]}
      />
      {proof.disqualifications.length > 0 && (
        <Table
          size="small"
          rowKey={(d) => `${d.drawOrder}-${d.publicID}`}
          title={() => t('proof.disqualifications')}
          pagination={false}
          dataSource={proof.disqualifications}
          columns={[
            { key: 'o', title: t('winners.drawOrder'), dataIndex: 'drawOrder', width: 80 },
            { key: 'p', title: t('leaderboard.publicID'), dataIndex: 'publicID' },
            { key: 'r', title: t('winners.reason'), dataIndex: 'reason' },
            { key: 'at', title: t('proof.at'), dataIndex: 'at', render: (v: string) => formatInTz(v, timezone) },
            { key: 'b', title: t('proof.replacedBy'), dataIndex: 'replacedBy', render: (v: string | null, d) => (v ? `${v}（#${d.replacement}）` : t('proof.noReplacement')) },
          ]}
        />
      )}
    </Space>
  );
}
