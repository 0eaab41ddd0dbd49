import { useMemo, useState } from 'react';
import { App, Form, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { describeError, errorLine, type DescribedError } from '../../api/errors';
import { toCreateCampaignInput, type CampaignFormValues } from '../../lib/campaign';
import { BankCategoriesQuery, bankWhere } from '../banks/operations';
import { CampaignForm, formFieldOfCampaignError } from './CampaignForm';
import { CampaignBanksQuery, CreateCampaignMutation } from './operations';

export default function CampaignCreatePage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CampaignFormValues>();
  const bankID = Form.useWatch('bankID', form) as string | undefined;
  const [banks] = useQuery({ query: CampaignBanksQuery });
  const where = useMemo(() => (bankID ? bankWhere(bankID) : undefined), [bankID]);
  const [cats] = useQuery({ query: BankCategoriesQuery, variables: { where }, pause: !bankID });
  const categories = useMemo(
    () => [...new Set((cats.data?.questions.edges ?? []).map((e) => e?.node?.category ?? '').filter(Boolean))].sort(),
    [cats.data],
  );
  const [{ fetching }, create] = useMutation(CreateCampaignMutation);
  const [serverError, setServerError] = useState<DescribedError | null>(null);

  const crumbs = [{ title: t('menu.campaigns'), to: '/campaigns' }, { title: t('campaigns.createTitle') }];
  if (!canEdit(session?.role)) {
    return (
      <PageContainer title={t('campaigns.createTitle')} crumbs={crumbs}>
        <Result status="403" title={t('common.readOnly')} />
      </PageContainer>
    );
  }

  const onSubmit = async (values: CampaignFormValues) => {
    setServerError(null);
    const res = await create({ input: toCreateCampaignInput(values) });
    if (res.error || !res.data) {
      const d = describeError(res.error, lang);
      if (d.code === 'BAD_USER_INPUT' || d.code === 'NOT_FOUND') {
        setServerError(d);
        const field = formFieldOfCampaignError(d.field) ?? (d.code === 'NOT_FOUND' ? 'bankID' : undefined);
        if (field && field !== 'categoryQuotas') form.setFields([{ name: field, errors: [d.detail ?? d.title] }]);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else {
        message.error(errorLine(res.error, lang));
      }
      return;
    }
    const c = res.data.createCampaign;
    message.success(t('campaigns.created', { name: c.name }));
    navigate(`/campaigns/${c.id}`);
  };

  return (
    <PageContainer title={t('campaigns.createTitle')} crumbs={crumbs}>
      <CampaignForm
        form={form}
        banks={banks.data?.questionBanks ?? []}
        banksLoading={banks.fetching}
        categories={categories}
        submitting={fetching}
        serverError={serverError}
        onSubmit={onSubmit}
        onCancel={() => navigate('/campaigns')}
      />
    </PageContainer>
  );
}
