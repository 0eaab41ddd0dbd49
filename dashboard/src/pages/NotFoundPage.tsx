import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n/I18nContext';
import { PageContainer } from '../components/PageContainer';

export default function NotFoundPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <PageContainer title={t('common.notFound')}>
      <Result
        status="404"
        title="404"
        subTitle={t('common.notFoundHint')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('common.backHome')}
          </Button>
        }
      />
    </PageContainer>
  );
}
