// The claim form's checks, the same as the server's (prizedraw.Claim): a
// name of 1–50 characters, a mainland China mobile number, an address of at
// most 200 characters (required here: prizes are posted).

export interface ClaimInput {
  name: string;
  phone: string;
  address: string;
}

export type ClaimErrors = Partial<Record<keyof ClaimInput, 'errName' | 'errPhone' | 'errAddress'>>;

const chars = (s: string) => [...s].length;

/** Digits of a mainland mobile number, without +86/0086 and separators; null if it is not one. */
export function normalizeMobile(raw: string): string | null {
  let s = raw.trim().replace(/[\s-]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.startsWith('86') && s.length === 13) s = s.slice(2);
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export function validateClaim(v: ClaimInput): ClaimErrors {
  const e: ClaimErrors = {};
  const name = v.name.trim();
  if (name === '' || chars(name) > 50) e.name = 'errName';
  if (!normalizeMobile(v.phone)) e.phone = 'errPhone';
  const addr = v.address.trim();
  if (addr === '' || chars(addr) > 200) e.address = 'errAddress';
  return e;
}

export function validateNickname(raw: string): 'nicknameRequired' | 'nicknameTooLong' | null {
  const n = raw.trim();
  if (n === '') return 'nicknameRequired';
  if (chars(n) > 20) return 'nicknameTooLong';
  return null;
}
