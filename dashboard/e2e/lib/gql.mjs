// GraphQL from node, as the players' H5 page would call it (SPEC §3).
export function client(base) {
  return async function gql(query, variables = {}, token) {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(`${query.split('{')[0].trim()}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

/**
 * One player: signInGuest, startAttempt, answer (correctly for the stems
 * in `key`, a map stem → correct option texts, up to `right` questions),
 * submitAttempt. Returns the result with the player's public ID.
 */
export async function play(gql, { campaignID, nickname, key, right = Infinity }) {
  const { signInGuest } = await gql(
    'mutation($n:String!){signInGuest(nickname:$n){token participant{publicID nickname}}}',
    { n: nickname },
  );
  const token = signInGuest.token;
  const { startAttempt } = await gql(
    'mutation($c:ID!){startAttempt(campaignID:$c){id deadline questions{id stem options{key text}}}}',
    { c: campaignID },
    token,
  );
  let correct = 0;
  const answers = startAttempt.questions.map((q) => {
    const texts = key.get(q.stem) ?? [];
    const good = q.options.filter((o) => texts.includes(o.text)).map((o) => o.key);
    if (correct < right && good.length > 0) {
      correct++;
      return { questionID: q.id, choices: good };
    }
    // a wrong answer: the first option that is not correct
    const wrong = q.options.find((o) => !texts.includes(o.text));
    return { questionID: q.id, choices: wrong ? [wrong.key] : [] };
  });
  const { submitAttempt } = await gql(
    'mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){score correctCount durationMs standing{rank}}}',
    { a: startAttempt.id, ans: answers },
    token,
  );
  return { ...submitAttempt, publicID: signInGuest.participant.publicID, nickname, token };
}
