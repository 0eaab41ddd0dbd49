import { useEffect, type ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nContext';

export interface Crumb {
  title: ReactNode;
  to?: string;
}

export interface PageContainerProps {
  title: ReactNode;
  /** the browser tab's title when `title` is not plain text */
  docTitle?: string;
  subTitle?: ReactNode;
  /** the trail between 首页 and this page */
  crumbs?: Crumb[];
  extra?: ReactNode;
  children?: ReactNode;
}

/** Ant Design Pro's page header: breadcrumb, title, actions, then the content. */
export function PageContainer({ title, docTitle, subTitle, crumbs = [], extra, children }: PageContainerProps) {
  const { t } = useI18n();
  useEffect(() => {
    const text = docTitle ?? (typeof title === 'string' ? title : '');
    document.title = text ? `${text} · ${t('app.title')}` : t('app.title');
  }, [docTitle, title, t]);

  const items = [
    { title: <Link to="/"><HomeOutlined /> {t('menu.home')}</Link> },
    ...crumbs.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title })),
  ];
  return (
    <div className="pq-page">
      <div className="pq-page-header">
        <Breadcrumb items={items} />
        <Flex justify="space-between" align="center" gap={16} wrap className="pq-page-heading">
          <Flex align="baseline" gap={12} style={{ minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }} ellipsis>
              {title}
            </Typography.Title>
            {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
          </Flex>
          {extra && <Flex gap={8} wrap>{extra}</Flex>}
        </Flex>
      </div>
      <div className="pq-page-body">{children}</div>
    </div>
  );
}
