// The player's page: rules, sign-in, the attempt (resumed after a reload),
// the result, the live ranking, winners and the claim form.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, playConfig, request } from '../api/client';
import { isRefused, subscribe } from '../api/live';
import {
  ActiveCampaignsQuery,
  CampaignQuery,
  ClaimPrizeMutation,
  LeaderboardQuery,
  LeaderboardUpdatedSubscription,
  MyAttemptsLeftTodayQuery,
  MyPrizesQuery,
  MyStandingUpdatedSubscription,
  SignInGuestMutation,
  SignInWeChatMutation,
  StartAttemptMutation,
  SubmitAttemptMutation,
  WinnersQuery,
} from '../api/operations';
import type { AttemptFieldsFragment, LeaderboardFieldsFragment, StandingFieldsFragment, WinnersQuery as WinnersData } from '../gql/graphql';
import { serverClock } from '../lib/clock';
import { errorText } from '../lib/errors';
import { useLang } from '../lib/i18n';
import * as store from '../lib/storage';
import { normalizeMobile, type ClaimInput } from '../lib/validate';
import { authorizeURL, readReturn, redirectURI } from '../lib/wechat';
import { Leaderboard, MyStanding } from './Leaderboard';
import { Prizes, type Prize } from './Prizes';
import { Quiz, type QuizPhase } from './Quiz';
import { Result, type AttemptResult } from './Result';
import { Rules, isRunning, type Campaign } from './Rules';
import { SignIn } from './SignIn';
import { Winners } from './Winners';

type View =
  | { kind: 'home' }
  | { kind: 'quiz'; attempt: AttemptFieldsFragment; progress: store.Progress; phase: QuizPhase }
  | { kind: 'result'; result: AttemptResult; auto: boolean }
  | { kind: 'expired' };

const now = () => serverClock.now();

export function PlayApp() {
  const { t } = useLang();
  const [wechatAppID, setWechatAppID] = useState('');
  const [campaign, setCampaign] = useState<Campaign | null | undefined>(undefined);
  const [choices, setChoices] = useState<Campaign[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [session, setSession] = useState<store.Session | null>(() => store.loadSession());
  const [view, setView] = useState<View>({ kind: 'home' });
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [board, setBoard] = useState<LeaderboardFieldsFragment | null>(null);
  const [standing, setStanding] = useState<StandingFieldsFragment | null>(null);
  const [prizes, setPrizes] = useState<Prize[]>([]);
  const [winners, setWinners] = useState<Record<string, WinnersData['winners']>>({});
  const [, setTick] = useState(0);
  const viewRef = useRef(view);
  viewRef.current = view;
  const token = session?.token ?? null;

  const signOut = useCallback((why?: string) => {
    store.saveSession(null);
    setSession(null);
    setStanding(null);
    setPrizes([]);
    setView({ kind: 'home' });
    setNotice(why ?? null);
  }, []);

  /** Shows e; returns its code. An expired session signs out. */
  const fail = useCallback(
    (e: unknown) => {
      const code = e instanceof ApiError ? e.code : 'INTERNAL';
      if (code === 'UNAUTHENTICATED') signOut(t.errUNAUTHENTICATED);
      else setNotice(errorText(e, t));
      return code;
    },
    [t, signOut],
  );

  // The campaign (?campaign=<id>, or the first active one) and the page's config.
  const loadCampaign = useCallback(async () => {
    setLoadError(null);
    try {
      const id = new URLSearchParams(window.location.search).get('campaign');
      if (id) {
        setCampaign((await request(CampaignQuery, { id })).campaign ?? null);
        return;
      }
      const all = (await request(ActiveCampaignsQuery, {})).activeCampaigns;
      if (all.length > 1) setChoices(all); // several running: the player chooses
      setCampaign(all.length === 1 ? all[0] : all.length === 0 ? null : undefined);
    } catch (e) {
      setLoadError(errorText(e, t));
    }
  }, [t]);

  useEffect(() => {
    void loadCampaign();
    void playConfig().then((c) => setWechatAppID(c.wechatAppID));
    // Back from WeChat: sign in only if the state is the one we sent.
    const r = readReturn(window.location.search);
    if (r.kind !== 'none') {
      history.replaceState(null, '', redirectURI());
      if (r.kind === 'bad-state') setNotice(t.wechatStateMismatch);
      else void signIn(() => request(SignInWeChatMutation, { code: r.code }).then((d) => d.signInWeChat));
    }
    const id = setInterval(() => setTick((n) => n + 1), 30000); // the rules' "next cutoff" follows the clock
    return () => clearInterval(id);
  }, []);

  // Re-read the campaign (periods get drawn and published) whenever the player is back home.
  useEffect(() => {
    if (view.kind !== 'home' || campaign === undefined) return;
    const id = setInterval(() => void loadCampaign(), 60000);
    return () => clearInterval(id);
  }, [view.kind, campaign === undefined]);

  async function signIn(run: () => Promise<store.Session>) {
    setBusy(true);
    setNotice(null);
    try {
      const s = await run();
      store.saveSession(s);
      setSession(s);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  // Live: the top 10 for everyone, my standing when signed in.
  useEffect(() => {
    if (!campaign) return;
    const vars = { campaignID: campaign.id };
    request(LeaderboardQuery, vars)
      .then((d) => setBoard((b) => b ?? d.leaderboard))
      .catch(() => {});
    const refused = (e: unknown) => {
      if (isRefused(e)) signOut(t.errUNAUTHENTICATED);
    };
    const stops = [subscribe(LeaderboardUpdatedSubscription, vars, token, (d) => setBoard(d.leaderboardUpdated), refused)];
    if (token) stops.push(subscribe(MyStandingUpdatedSubscription, vars, token, (d) => setStanding(d.myStandingUpdated), refused));
    return () => stops.forEach((s) => s());
  }, [campaign?.id, token]);

  // Winners of every published period.
  const published = campaign?.periods.filter((p) => p.status === 'PUBLISHED').map((p) => p.id) ?? [];
  useEffect(() => {
    for (const periodID of published) {
      if (winners[periodID]) continue;
      request(WinnersQuery, { periodID })
        .then((d) => setWinners((w) => ({ ...w, [periodID]: d.winners })))
        .catch(() => {});
    }
  }, [published.join(',')]);

  // My prizes in this campaign.
  const loadPrizes = useCallback(async () => {
    if (!token || !campaign) return;
    try {
      const d = await request(MyPrizesQuery, {}, { token });
      setPrizes(d.myPrizes.filter((p) => p.period.campaign.id === campaign.id));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') fail(e);
    }
  }, [token, campaign?.id, fail]);
  useEffect(() => {
    if (view.kind === 'home') void loadPrizes();
  }, [loadPrizes, view.kind, published.join(',')]);

  // Attempts left today, as the server counts them (campaign time zone, every
  // phone of the player): for which campaign and session, and n (null:
  // unlimited). Asked when both are known, after each start, submit, expiry
  // or ATTEMPT_LIMIT_REACHED, and every minute at home (the day turns, another
  // phone plays). A late answer never overwrites a newer one.
  const leftKey = campaign && token ? `${campaign.id} ${token}` : null;
  const leftKeyRef = useRef(leftKey);
  leftKeyRef.current = leftKey;
  const [leftToday, setLeftToday] = useState<{ key: string; n: number | null } | null>(null);
  const leftAsked = useRef(0);
  const leftShown = useRef(0);
  const loadLeft = useCallback(async () => {
    if (!campaign || !token) return;
    const key = `${campaign.id} ${token}`;
    const seq = ++leftAsked.current;
    try {
      const d = await request(MyAttemptsLeftTodayQuery, { campaignID: campaign.id }, { token });
      if (seq < leftShown.current || leftKeyRef.current !== key) return;
      leftShown.current = seq;
      setLeftToday({ key, n: d.myAttemptsLeftToday ?? null });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED' && leftKeyRef.current === key) fail(e);
    }
  }, [campaign?.id, token, fail]);
  useEffect(() => {
    void loadLeft();
  }, [loadLeft]);
  useEffect(() => {
    if (view.kind !== 'home') return;
    const id = setInterval(() => void loadLeft(), 60000);
    return () => clearInterval(id);
  }, [view.kind, loadLeft]);
  /** undefined until the server has said, for this campaign and session */
  const left = leftToday && leftToday.key === leftKey ? leftToday.n : undefined;

  // Resume an attempt left open by a reload or a closed tab.
  useEffect(() => {
    if (!campaign || !session) return;
    const open = store.loadOpenAttempt(campaign.id);
    if (!open || open.participant !== session.participant.publicID) return;
    const progress = store.loadProgress(open.id);
    if (now() < Date.parse(open.deadline)) void start();
    else void submit(open.id, progress, true); // time ran out while away: the server decides if grace covers it
  }, [campaign?.id, session?.token]);

  async function start() {
    if (!campaign || !session) return;
    setBusy(true);
    setNotice(null);
    const open = store.loadOpenAttempt(campaign.id);
    try {
      let sent = 0;
      let received = 0;
      const { startAttempt: a } = await request(
        StartAttemptMutation,
        { campaignID: campaign.id },
        { token: session.token, timing: (s, r) => ((sent = s), (received = r)) },
      );
      // A new attempt's startedAt was stamped while the request was in
      // flight: a finer bound on the server clock than the Date header. (A
      // resumed attempt's is old, and says nothing about now.)
      if (a.id !== open?.id && Math.abs(Date.parse(a.startedAt) - now()) < 3000) serverClock.observeInstant(a.startedAt, sent, received);
      store.saveOpenAttempt(campaign.id, { id: a.id, deadline: a.deadline, participant: session.participant.publicID });
      if (open && open.id !== a.id) store.saveProgress(open.id, null);
      const progress = store.loadProgress(a.id);
      setView({ kind: 'quiz', attempt: a, progress, phase: now() >= Date.parse(a.deadline) ? 'timeup' : 'answering' });
      void loadLeft();
    } catch (e) {
      // ATTEMPT_LIMIT_REACHED among others: the server's count says why
      if (fail(e) !== 'UNAUTHENTICATED') void loadLeft();
    } finally {
      setBusy(false);
    }
  }

  const submitting = useRef(false);
  async function submit(attemptID: string, progress: store.Progress, auto: boolean, questionIDs?: string[]) {
    if (!campaign || !session || submitting.current) return;
    submitting.current = true;
    setNotice(null);
    const ids = questionIDs ?? Object.keys(progress.answers);
    const answers = ids.map((id) => ({ questionID: id, choices: progress.answers[id] ?? [] }));
    const v = viewRef.current;
    if (v.kind === 'quiz') setView({ ...v, phase: auto ? 'timeup' : 'submitting' });
    const done = () => {
      store.saveOpenAttempt(campaign.id, null);
      store.saveProgress(attemptID, null);
      void loadLeft();
    };
    try {
      for (let tries = 0; ; tries++) {
        try {
          const d = await request(SubmitAttemptMutation, { attemptID, answers }, { token: session.token });
          done();
          setView({ kind: 'result', result: d.submitAttempt, auto });
          return;
        } catch (e) {
          const code = e instanceof ApiError ? e.code : 'INTERNAL';
          if (code === 'ATTEMPT_EXPIRED') {
            done();
            setView({ kind: 'expired' });
            return;
          }
          // Time is up and the grace is short: keep trying through a flaky network.
          if (auto && (code === 'NETWORK' || code === 'RATE_LIMITED') && tries < 5) {
            await new Promise((r) => setTimeout(r, 1000));
            continue;
          }
          fail(e);
          const cur = viewRef.current;
          if (cur.kind === 'quiz') setView({ ...cur, phase: auto ? 'timeup' : 'answering' });
          return;
        }
      }
    } finally {
      submitting.current = false;
    }
  }

  const onProgress = (p: store.Progress) => {
    const v = viewRef.current;
    if (v.kind !== 'quiz') return;
    store.saveProgress(v.attempt.id, p);
    setView({ ...v, progress: p });
  };

  const onSubmit = (auto: boolean) => {
    const v = viewRef.current;
    if (v.kind !== 'quiz') return;
    void submit(
      v.attempt.id,
      v.progress,
      auto,
      v.attempt.questions.map((q) => q.id),
    );
  };

  const onClaim = async (winnerID: string, c: ClaimInput): Promise<string | null> => {
    if (!token) return t.errUNAUTHENTICATED;
    try {
      await request(
        ClaimPrizeMutation,
        { winnerID, name: c.name.trim(), phone: normalizeMobile(c.phone) ?? c.phone, address: c.address.trim() || null },
        { token },
      );
      await loadPrizes();
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') fail(e);
      return errorText(e, t);
    }
  };

  const goHome = () => {
    setNotice(null);
    setView({ kind: 'home' });
    void loadCampaign();
  };

  if (loadError) {
    return (
      <main class="page">
        <p class="banner banner-error" role="alert">
          {loadError}
        </p>
        <button type="button" class="btn btn-primary btn-block" onClick={() => void loadCampaign()}>
          {t.retry}
        </button>
      </main>
    );
  }
  if (campaign === undefined && choices) {
    return (
      <main class="page">
        <div class="hero">
          <h1>{t.chooseCampaign}</h1>
        </div>
        <ul class="campaign-list">
          {choices.map((c) => (
            <li key={c.id}>
              <a class="card campaign-link" href={`?campaign=${encodeURIComponent(c.id)}`}>
                {c.name}
              </a>
            </li>
          ))}
        </ul>
      </main>
    );
  }
  if (campaign === undefined) {
    return (
      <main class="page">
        <p class="muted center" role="status">
          {t.loading}
        </p>
      </main>
    );
  }
  if (campaign === null) {
    return (
      <main class="page">
        <p class="card center">{t.noCampaign}</p>
      </main>
    );
  }

  if (view.kind === 'quiz') {
    return (
      <div class="page">
        <CampaignTitle campaign={campaign} />
        <Quiz
          attempt={view.attempt}
          progress={view.progress}
          phase={view.phase}
          timeLimitSeconds={campaign.timeLimitSeconds}
          now={now}
          onChange={onProgress}
          onSubmit={onSubmit}
          notice={notice}
        />
      </div>
    );
  }
  if (view.kind === 'result') {
    return (
      <div class="page">
        <CampaignTitle campaign={campaign} />
        <Result result={view.result} auto={view.auto} onBack={goHome} />
      </div>
    );
  }

  const running = isRunning(campaign, now());
  const open = store.loadOpenAttempt(campaign.id);
  return (
    <div class="page">
      <CampaignTitle campaign={campaign} />
      <main>
        {view.kind === 'expired' && (
          <p class="banner banner-warn" role="alert">
            {t.expired}
          </p>
        )}
        {notice && (
          <p class="banner banner-error" role="alert">
            {notice}
          </p>
        )}
        {session ? (
          <section class="card player" aria-labelledby="player-heading">
            <div class="player-head">
              <h2 id="player-heading">{t.signedInAs(session.participant.nickname)}</h2>
              <button type="button" class="link" onClick={() => signOut()}>
                {t.signOut}
              </button>
            </div>
            <MyStanding standing={standing} />
            {left !== undefined && (
              <p class="attempts-left" data-testid="attempts-left">
                {left === 0 ? t.attemptsUsedUp : t.attemptsLeft(left)}
              </p>
            )}
            {/* an attempt in progress can be resumed with none left to start */}
            <button type="button" class="btn btn-primary btn-block btn-big" disabled={busy || !running || (left === 0 && !open)} onClick={() => void start()}>
              {busy ? t.starting : open ? t.resume : t.start}
            </button>
            {!running && <p class="muted">{t.campaignNotActive}</p>}
          </section>
        ) : (
          <SignIn
            wechatAppID={wechatAppID}
            busy={busy}
            onGuest={(nickname) => void signIn(() => request(SignInGuestMutation, { nickname }).then((d) => d.signInGuest))}
            onWeChat={() => {
              window.location.href = authorizeURL(wechatAppID, redirectURI());
            }}
          />
        )}
        <Prizes prizes={prizes} timezone={campaign.timezone} onClaim={onClaim} />
        <Leaderboard board={board} me={session?.participant.publicID} />
        <Rules campaign={campaign} nowMs={now()} />
        <Winners campaign={campaign} lists={winners} />
      </main>
    </div>
  );
}

function CampaignTitle({ campaign }: { campaign: Campaign }) {
  return (
    <div class="hero">
      <h1>{campaign.name}</h1>
    </div>
  );
}
