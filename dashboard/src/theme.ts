import type { ThemeConfig } from 'antd';

/** Ant Design Pro's look: the default blue, a dark sider, compact radius. */
export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Helvetica, Arial, sans-serif",
  },
  components: {
    Layout: { headerHeight: 56, headerPadding: '0 16px', siderBg: '#001529', bodyBg: '#f5f5f5' },
  },
};
