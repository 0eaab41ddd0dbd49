import { createBrowserRouter, type RouteObject } from 'react-router';
import AdminLayout from './layout/AdminLayout';
import SignInPage from './pages/SignInPage';
import OverviewPage from './pages/OverviewPage';
import BankListPage from './pages/banks/BankListPage';
import BankDetailPage from './pages/banks/BankDetailPage';
import CampaignListPage from './pages/campaigns/CampaignListPage';
import CampaignCreatePage from './pages/campaigns/CampaignCreatePage';
import CampaignDetailPage from './pages/campaigns/CampaignDetailPage';
import CampaignEditPage from './pages/campaigns/CampaignEditPage';
import LeaderboardPage from './pages/leaderboard/LeaderboardPage';
import DrawsPage from './pages/draws/DrawsPage';
import ParticipantsPage from './pages/participants/ParticipantsPage';
import AdminsPage from './pages/admins/AdminsPage';
import AuditPage from './pages/audit/AuditPage';
import NotFoundPage from './pages/NotFoundPage';

/** The app is served at /admin/ by the Go binary (and by `npm run dev`). */
export const BASENAME = '/admin';

export const routes: RouteObject[] = [
  { path: '/login', element: <SignInPage /> },
  {
    path: '/',
    element: <AdminLayout />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'banks', element: <BankListPage /> },
      { path: 'banks/:id', element: <BankDetailPage /> },
      { path: 'campaigns', element: <CampaignListPage /> },
      { path: 'campaigns/new', element: <CampaignCreatePage /> },
      { path: 'campaigns/:id', element: <CampaignDetailPage /> },
      { path: 'campaigns/:id/edit', element: <CampaignEditPage /> },
      { path: 'leaderboard', element: <LeaderboardPage /> },
      { path: 'draws', element: <DrawsPage /> },
      { path: 'participants', element: <ParticipantsPage /> },
      { path: 'admins', element: <AdminsPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes, { basename: BASENAME });
}
