import type { ReactNode } from 'react';
import { Alert, Button, Empty, Result, Skeleton } from 'antd';
import type { CombinedError } from '@urql/core';
import { describeError } from '../api/errors';
import { useI18n } from '../i18n/I18nContext';

/** An error block with the code's Chinese text, the server's detail and a retry button. */
export function ErrorState({ error, onRetry, compact }: { error: CombinedError; onRetry?: () => void; compact?: boolean }) {
  const { t, lang } = useI18n();
  const d = describeError(error, lang);
  const retry = onRetry && (
    <Button size={compact ? 'small' : 'middle'} onClick={onRetry}>
      {t('common.retry')}
    </Button>
  );
  if (compact) {
    return <Alert type="error" showIcon title={d.title} description={d.detail} action={retry} />;
  }
  return (
    <Result
      status={d.code === 'NOT_FOUND' ? '404' : d.code === 'FORBIDDEN' ? '403' : 'error'}
      title={t('common.loadFailed')}
      subTitle={[d.title, d.detail].filter(Boolean).join(' · ')}
      extra={retry}
    />
  );
}

export interface QueryStateProps {
  fetching: boolean;
  error?: CombinedError;
  /** whether there is data to show (then a refetch error shows as a banner over it) */
  hasData: boolean;
  isEmpty?: boolean;
  empty?: ReactNode;
  onRetry?: () => void;
  skeletonRows?: number;
  children: ReactNode;
}

/**
 * The three states every data block has: loading (skeleton), failed
 * (error with retry) and empty (a hint and usually an action); otherwise
 * the content.
 */
export function QueryState({ fetching, error, hasData, isEmpty, empty, onRetry, skeletonRows = 4, children }: QueryStateProps) {
  const { t } = useI18n();
  if (!hasData) {
    if (error) return <ErrorState error={error} onRetry={onRetry} />;
    if (fetching) return <Skeleton active paragraph={{ rows: skeletonRows }} />;
  }
  if (hasData && isEmpty) return <>{empty ?? <Empty description={t('common.empty')} />}</>;
  return (
    <>
      {error && hasData && (
        <div style={{ marginBottom: 16 }}>
          <ErrorState error={error} onRetry={onRetry} compact />
        </div>
      )}
      {children}
    </>
  );
}
