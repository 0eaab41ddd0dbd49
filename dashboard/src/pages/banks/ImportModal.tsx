import { useState } from 'react';
import { Alert, App, Button, Flex, Modal, Space, Statistic, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { errorLine } from '../../api/errors';
import { templateURL } from '../../lib/download';
import { uploadOperation } from '../../lib/upload';
import { IMPORT_ACCEPT, importErrorRows, isImportFile, summarizeImport, type ImportErrorRow, type ImportReportLike } from '../../lib/importReport';
import type { ImportQuestionsMutation as ImportResult } from '../../gql/graphql';
import { ImportQuestionsMutation } from './operations';

export interface ImportModalProps {
  open: boolean;
  bankID: string;
  bankName?: string;
  onClose: () => void;
  /** after a real import wrote questions */
  onImported: (n: number) => void;
}

/** 导入题目: template → pick a file → dry run report → import for real (all rows or none). */
export function ImportModal({ open, bankID, bankName, onClose, onImported }: ImportModalProps) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReportLike | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);

  const reset = () => {
    setFile(null);
    setReport(null);
    setBusy(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    const res = await uploadOperation<ImportResult>(ImportQuestionsMutation, { bankID, dryRun }, 'file', file, { token: session?.token });
    setBusy(null);
    if (res.error || !res.data) {
      message.error(errorLine(res.error, lang));
      return;
    }
    const r = res.data.importQuestions;
    setReport(r);
    if (!dryRun && r.imported > 0) {
      message.success(t('import.done', { n: r.imported }));
      onImported(r.imported);
      reset();
      onClose();
    }
  };

  const summary = report ? summarizeImport(report) : null;
  const rows = report ? importErrorRows(report, lang) : [];

  return (
    <Modal
      open={open}
      title={bankName ? t('import.titleOf', { name: bankName }) : t('import.title')}
      width={760}
      onCancel={close}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button disabled={!file} loading={busy === 'check'} onClick={() => send(true)} data-testid="import-check">
            {t('import.check')}
          </Button>
          <Button
            type="primary"
            disabled={!summary?.canImport || busy !== null}
            loading={busy === 'import'}
            onClick={() => send(false)}
            data-testid="import-confirm"
          >
            {summary?.canImport ? t('import.confirmN', { n: summary.valid }) : t('import.confirm')}
          </Button>
        </Flex>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          title={t('import.hint')}
          action={
            <Space>
              <Button size="small" icon={<DownloadOutlined />} href={templateURL('xlsx')} download>
                {t('import.templateXlsx')}
              </Button>
              <Button size="small" icon={<DownloadOutlined />} href={templateURL('csv')} download>
                {t('import.templateCsv')}
              </Button>
            </Space>
          }
        />
        <Upload.Dragger
          accept={IMPORT_ACCEPT}
          maxCount={1}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
          beforeUpload={(f) => {
            if (!isImportFile(f.name)) {
              message.error(t('import.badType'));
              return Upload.LIST_IGNORE;
            }
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setReport(null);
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.pick')}</p>
          <p className="ant-upload-hint">{t('import.pickHint')}</p>
        </Upload.Dragger>
        {report && summary && (
          <div data-testid="import-report">
            <Flex gap={32} style={{ marginBottom: 12 }}>
              <Statistic title={t('import.valid')} value={summary.valid} prefix={<FileExcelOutlined />} />
              <Statistic title={t('import.badRows')} value={summary.badRows} styles={summary.badRows ? { content: { color: '#cf1322' } } : undefined} />
              <Statistic title={t('import.errors')} value={summary.errors} />
            </Flex>
            {summary.canImport ? (
              <Alert type="success" showIcon title={t('import.readyN', { n: summary.valid })} />
            ) : summary.errors > 0 ? (
              <Alert type="error" showIcon title={t('import.fixFirst')} />
            ) : (
              <Alert type="warning" showIcon title={t('import.nothing')} />
            )}
            {rows.length > 0 && (
              <Table<ImportErrorRow>
                style={{ marginTop: 12 }}
                size="small"
                rowKey="key"
                dataSource={rows}
                pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
                columns={[
                  { key: 'row', title: t('import.row'), dataIndex: 'row', width: 80, render: (r: number) => t('import.rowN', { n: r }) },
                  {
                    key: 'column',
                    title: t('import.column'),
                    dataIndex: 'column',
                    width: 120,
                    render: (c: string) => c || <Typography.Text type="secondary">{t('import.wholeRow')}</Typography.Text>,
                  },
                  { key: 'message', title: t('import.message'), dataIndex: 'message' },
                ]}
              />
            )}
          </div>
        )}
      </Space>
    </Modal>
  );
}
