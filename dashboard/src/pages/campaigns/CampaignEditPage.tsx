import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Form, Result, Skeleton } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { ErrorState } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { describeError, errorLine, type DescribedError } from '../../api/errors';
import { formatInTz } from '../../lib/format';
import { campaignToFormValues, nextCutoff, rulesLocked, toUpdateCampaignInput, type CampaignFormValues } from '../../lib/campaign';
import type { CampaignQuery as CampaignQueryResult } from '../../gql/graphql';
import { BankCategoriesQuery, bankWhere } from '../banks/operations';
import { CampaignForm, formFieldOfCampaignError } from './CampaignForm';
import { CampaignBanksQuery, CampaignQuery, UpdateCampaignMutation } from './operations';

type Stored = NonNullable<CampaignQueryResult['campaign']>;

/** The form for one loaded campaign; the rules are locked once it has started (checked when the page opens). */
function EditForm({ campaign }: { campaign: Stored }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CampaignFormValues>();
  const [initial] = useState(() => campaignToFormValues(campaign));
  const [locked] = useState(() => rulesLocked(campaign));
  const bankID = Form.useWatch('bankID', form) as string | undefined;
  const [banks] = useQuery({ query: CampaignBanksQuery });
  const where = useMemo(() => (bankID ? bankWhere(bankID) : undefined), [bankID]);
  const [cats] = useQuery({ query: BankCategoriesQuery, variables: { where }, pause: !bankID });
  const categories = useMemo(
    () => [...new Set((cats.data?.questions.edges ?? []).map((e) => e?.node?.category ?? '').filter(Boolean))].sort(),
    [cats.data],
  );
  const [{ fetching }, update] = useMutation(UpdateCampaignMutation);
  const [serverError, setServerError] = useState<DescribedError | null>(null);
  const tz = campaign.timezone;
  const cut = nextCutoff(campaign.periods);

  const onSubmit = async (values: CampaignFormValues) => {
    setServerError(null);
    const input = toUpdateCampaignInput(values, campaign, locked);
    if (Object.keys(input).length === 0) {
      message.info(t('campaigns.nothingChanged'));
      return;
    }
    const res = await update({ id: campaign.id, input });
    if (res.error || !res.data) {
      const d = describeError(res.error, lang);
      if (d.code === 'BAD_USER_INPUT' || d.code === 'NOT_FOUND') {
        setServerError(d);
        const field = formFieldOfCampaignError(d.field);
        if (field && field !== 'categoryQuotas') form.setFields([{ name: field, errors: [d.detail ?? d.title] }]);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else {
        message.error(errorLine(res.error, lang));
      }
      return;
    }
    message.success(t('campaigns.saved', { name: res.data.updateCampaign.name }));
    navigate(`/campaigns/${campaign.id}`);
  };

  return (
    <CampaignForm
      form={form}
      banks={banks.data?.questionBanks ?? []}
      banksLoading={banks.fetching}
      categories={categories}
      submitting={fetching}
      serverError={serverError}
      initialValues={initial}
      onSubmit={onSubmit}
      onCancel={() => navigate(`/campaigns/${campaign.id}`)}
      locked={locked}
      lockedNote={t('form.lockedBody', {
        start: formatInTz(campaign.startsAt, tz, 'YYYY-MM-DD HH:mm:ss'),
        cutoff: cut ? formatInTz(cut.endsAt, tz, 'YYYY-MM-DD HH:mm:ss') : '-',
      })}
      submitText={t('form.save')}
    />
  );
}

export default function CampaignEditPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { session } = useAuth();
  const navigate = useNavigate();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignQuery, variables: { id }, requestPolicy: 'network-only' });
  const c = data?.campaign;
  const crumbs = [{ title: t('menu.campaigns'), to: '/campaigns' }, { title: c?.name ?? '…', to: c ? `/campaigns/${c.id}` : undefined }, { title: t('common.edit') }];
  const title = c ? t('campaigns.editTitle', { name: c.name }) : t('campaigns.edit');

  if (!canEdit(session?.role)) {
    return (
      <PageContainer title={title} crumbs={crumbs}>
        <Result status="403" title={t('common.readOnly')} />
      </PageContainer>
    );
  }
  return (
    <PageContainer title={title} docTitle={title} crumbs={crumbs}>
      {!data && error ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : !data || fetching ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : !c ? (
        <Card>
          <Empty description={t('campaigns.notFound')}>
            <Button onClick={() => navigate('/campaigns')}>{t('common.back')}</Button>
          </Empty>
        </Card>
      ) : Date.parse(c.endsAt) <= Date.now() ? (
        <Card>
          <Result
            status="info"
            title={t('campaigns.endedNoEdit')}
            extra={<Button onClick={() => navigate(`/campaigns/${c.id}`)}>{t('common.back')}</Button>}
          />
        </Card>
      ) : (
        <EditForm key={c.id} campaign={c} />
      )}
    </PageContainer>
  );
}
