// The server's clock as seen from the phone. The countdown runs on the
// server's deadline, so a phone whose clock is minutes off must still show
// the right remaining time. Every API response bounds the offset
// (server − local): its Date header (whole seconds) was written between
// the request's send and receive, and a new attempt's startedAt too. The
// bounds are intersected, and the middle of what is left is the estimate.

export class ServerClock {
  private lo = -Infinity;
  private hi = Infinity;

  constructor(private readonly local: () => number = () => Date.now()) {}

  /** Records that the server's time was in [serverLo, serverHi] at some local instant in [sent, received]. */
  private bound(serverLo: number, serverHi: number, sent: number, received: number) {
    const lo = serverLo - received;
    const hi = serverHi - sent;
    if (!(lo <= hi)) return;
    if (lo > this.hi || hi < this.lo) {
      // Disjoint with what we knew: the phone's clock jumped. Start over.
      this.lo = lo;
      this.hi = hi;
      return;
    }
    this.lo = Math.max(this.lo, lo);
    this.hi = Math.min(this.hi, hi);
  }

  /** An HTTP Date header (second precision) seen on a response. */
  observeDate(date: string | null, sent: number, received: number) {
    if (!date) return;
    const t = Date.parse(date);
    if (Number.isNaN(t)) return;
    this.bound(t, t + 999, sent, received);
  }

  /** A server timestamp (ms precision) created while the request was in flight, such as a new attempt's startedAt. */
  observeInstant(iso: string, sent: number, received: number) {
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) this.bound(t, t, sent, received);
  }

  /** server − local in ms; 0 until something was observed. */
  offset(): number {
    if (this.lo === -Infinity || this.hi === Infinity) return 0;
    return Math.round((this.lo + this.hi) / 2);
  }

  /** How sure the offset is, ± ms (Infinity when unknown). */
  uncertainty(): number {
    return (this.hi - this.lo) / 2;
  }

  now(): number {
    return this.local() + this.offset();
  }
}

/** The clock the app uses; tests make their own. */
export const serverClock = new ServerClock();
