// /proof/{periodID}: downloads the period's proof and re-runs
// prizequiz-draw-v1 in the browser, showing each step as passed or failed.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api/client';
import { DrawProofQuery } from '../api/operations';
import type { DrawProofQuery as ProofData } from '../gql/graphql';
import { errorText } from '../lib/errors';
import { dateTime } from '../lib/format';
import { useLang } from '../lib/i18n';
import { STEPS, verifyProof, type StepName, type StepResult, type Verification } from '../verify/verify';

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'missing'; data: ProofData }
  | { kind: 'verifying' | 'done'; data: ProofData; steps: StepResult[]; result?: Verification };

export function ProofPage({ periodID }: { periodID: string }) {
  const { t, lang } = useLang();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const run = async () => {
    setState({ kind: 'loading' });
    let data: ProofData;
    try {
      data = await request(DrawProofQuery, { periodID });
    } catch (e) {
      setState({ kind: 'error', message: errorText(e, t) });
      return;
    }
    if (!data.period || !data.drawProof) {
      setState({ kind: 'missing', data });
      return;
    }
    const steps: StepResult[] = [];
    setState({ kind: 'verifying', data, steps: [] });
    const result = await verifyProof(
      data.drawProof,
      { commitmentDigest: data.period.commitmentDigest, poolDigest: data.period.poolDigest },
      (s) => {
        steps.push(s);
        setState({ kind: 'verifying', data, steps: [...steps] });
      },
    );
    setState({ kind: 'done', data, steps: result.steps, result });
  };

  useEffect(() => {
    void run();
  }, [periodID]);

  const period = state.kind !== 'loading' && state.kind !== 'error' ? state.data.period : null;
  return (
    <main class="page proof">
      <div class="hero">
        {period && <p class="hero-sub">{period.campaign.name}</p>}
        <h1>{t.proofTitle(period?.index ?? null)}</h1>
      </div>
      <p class="card">{t.proofIntro}</p>
      {state.kind === 'loading' && (
        <p class="muted center" role="status">
          {t.loading}
        </p>
      )}
      {state.kind === 'error' && (
        <>
          <p class="banner banner-error" role="alert">
            {state.message}
          </p>
          <button type="button" class="btn btn-primary btn-block" onClick={() => void run()}>
            {t.retry}
          </button>
        </>
      )}
      {state.kind === 'missing' && <p class="card">{state.data.period ? t.proofNotDrawn : t.proofNotFound}</p>}
      {(state.kind === 'verifying' || state.kind === 'done') && <Steps state={state} />}
      {state.kind === 'done' && state.result?.winners && state.data.drawProof && (
        <section class="card" aria-labelledby="proof-winners">
          <h2 id="proof-winners">{t.proofWinners(state.result.winners.length)}</h2>
          <ol class="id-list">
            {state.result.winners.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ol>
          {state.data.drawProof.disqualifications.map((d) => (
            <p key={d.publicID} class="muted">
              {t.disqualified(d.publicID, d.replacedBy)}
            </p>
          ))}
          <p class="muted small">
            {period && dateTime(state.data.drawProof.drawnAt, period.campaign.timezone, lang)}
          </p>
        </section>
      )}
      {(state.kind === 'verifying' || state.kind === 'done') && state.data.drawProof && (
        <details class="card raw">
          <summary>{t.proofDetails}</summary>
          <pre>{JSON.stringify(state.data.drawProof, null, 2)}</pre>
        </details>
      )}
      <p class="center">
        <a href="/play">{t.back}</a>
      </p>
    </main>
  );
}

function Steps({ state }: { state: Extract<State, { kind: 'verifying' | 'done' }> }) {
  const { t } = useLang();
  const byName = new Map(state.steps.map((s) => [s.step, s]));
  const failedStep = state.steps.find((s) => s.status === 'failed');
  return (
    <section class="card" aria-labelledby="steps-heading" aria-busy={state.kind === 'verifying'}>
      <h2 id="steps-heading">{state.kind === 'verifying' ? t.verifying : failedStep ? t.failed : t.passed}</h2>
      {state.kind === 'done' && (
        <p class={`banner ${failedStep ? 'banner-error' : 'banner-ok'}`} role="status" data-testid="proof-verdict">
          {failedStep ? t.proofFailed(t[`step${failedStep.step}`]) : t.proofOk}
        </p>
      )}
      <ol class="steps">
        {STEPS.map((name: StepName) => {
          const s = byName.get(name);
          const status = s?.status ?? 'pending';
          return (
            <li key={name} class={`step step-${status}`} data-testid={`step-${name.replace(' ', '-')}`} data-status={status}>
              <span class="step-icon" aria-hidden="true">
                {status === 'passed' ? '✓' : status === 'failed' ? '✗' : status === 'skipped' ? '–' : '…'}
              </span>
              <div class="step-body">
                <p class="step-title">
                  {t[`step${name}`]}
                  <span class="sr-only">: </span>
                  <span class="step-status">{status === 'pending' ? t.verifying : t[status]}</span>
                </p>
                {s?.status === 'failed' && (
                  <>
                    <p class="step-why">{t[`failed${cap(s.code ?? 'record')}` as keyof typeof t] as string}</p>
                    <p class="step-detail">
                      <code>{s.detail}</code>
                    </p>
                  </>
                )}
                {s?.status === 'passed' && s.note?.startsWith('declared:') && <p class="step-note">{t.declaredNote(s.note.slice(9), s.values?.entropy ?? '')}</p>}
                {s?.status === 'passed' && s.values?.round && <p class="step-note">{t.drandNote(s.values.round)}</p>}
                {s?.values &&
                  Object.entries(s.values)
                    .filter(([k]) => k !== 'round' && k !== 'n' && k !== 'entropy')
                    .map(([k, v]) => (
                      <p key={k} class="step-value">
                        {k} = <code>{v}</code>
                      </p>
                    ))}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
