import { Button, Flex, Select, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined, VerticalRightOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nContext';

export const PAGE_SIZES = [10, 20, 50, 100];

export interface CursorPagerProps {
  page: number; // 1-based
  pageSize: number;
  total: number;
  hasNext: boolean;
  loading?: boolean;
  onFirst: () => void;
  onPrev: () => void;
  onNext: () => void;
  onPageSize: (n: number) => void;
}

/**
 * Relay cursors go forward one page at a time, so the pager offers first,
 * previous and next (not arbitrary page numbers), with the total count.
 */
export function CursorPager({ page, pageSize, total, hasNext, loading, onFirst, onPrev, onNext, onPageSize }: CursorPagerProps) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Flex justify="flex-end" align="center" gap={12} wrap className="pq-pager">
      <Typography.Text type="secondary">{t('common.total', { n: total })}</Typography.Text>
      <Typography.Text>{t('questions.page', { page, pages })}</Typography.Text>
      <Space.Compact>
        <Button icon={<VerticalRightOutlined />} disabled={page <= 1 || loading} onClick={onFirst} aria-label={t('questions.first')} />
        <Button icon={<LeftOutlined />} disabled={page <= 1 || loading} onClick={onPrev}>
          {t('questions.prev')}
        </Button>
        <Button disabled={!hasNext || loading} onClick={onNext}>
          {t('questions.next')} <RightOutlined />
        </Button>
      </Space.Compact>
      <Select
        value={pageSize}
        style={{ width: 110 }}
        onChange={onPageSize}
        options={PAGE_SIZES.map((n) => ({ value: n, label: t('questions.pageSize', { n }) }))}
        aria-label="page size"
      />
    </Flex>
  );
}

/** The cursor stack of forward pagination: after[i] is the `after` of page i+1. */
export interface CursorStack {
  after: (string | null)[];
}

export const firstPage = (): CursorStack => ({ after: [null] });
export const nextPage = (s: CursorStack, endCursor: string | null | undefined): CursorStack =>
  endCursor ? { after: [...s.after, endCursor] } : s;
export const prevPage = (s: CursorStack): CursorStack => (s.after.length > 1 ? { after: s.after.slice(0, -1) } : s);
export const currentAfter = (s: CursorStack): string | null => s.after[s.after.length - 1];
export const pageNumber = (s: CursorStack): number => s.after.length;

/** The parts of a Relay connection the pager reads. */
export interface PagedConnection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface ConnectionPagerProps {
  conn?: PagedConnection | null;
  cursors: CursorStack;
  setCursors: (s: CursorStack) => void;
  pageSize: number;
  setPageSize: (n: number) => void;
  loading?: boolean;
}

/** CursorPager wired to a connection and its cursor stack; a new page size starts over. */
export function ConnectionPager({ conn, cursors, setCursors, pageSize, setPageSize, loading }: ConnectionPagerProps) {
  return (
    <CursorPager
      page={pageNumber(cursors)}
      pageSize={pageSize}
      total={conn?.totalCount ?? 0}
      hasNext={!!conn?.pageInfo.hasNextPage}
      loading={loading}
      onFirst={() => setCursors(firstPage())}
      onPrev={() => setCursors(prevPage(cursors))}
      onNext={() => setCursors(nextPage(cursors, conn?.pageInfo.endCursor))}
      onPageSize={(n) => {
        setPageSize(n);
        setCursors(firstPage());
      }}
    />
  );
}
