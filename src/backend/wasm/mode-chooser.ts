// Whether a program runs on the thread team or on the main thread alone, chosen by measurement: the
// two give bitwise the same results, so the faster one wins. A team can be the slower when another
// process holds a core (a worker that is not scheduled makes every barrier wait for it) or when a
// program is too small for its barriers to pay.
//
// The modes take turns in visits: the preferred mode stays for `stay` runs, then the other is
// looked at for LOOK runs to see whether things changed. A mode's figure is the fastest run of its
// latest visit, not counting a visit's first run (the worker may have been asleep, the caches hold
// the other mode's data). The team is preferred unless one thread is clearly (10%) faster.
//
// Looks cost: a look at the losing mode runs LOOK steps at its speed. So every look that confirms
// the verdict doubles the stay (up to MAX_STAY), or quadruples it when the team won by CLEAR or
// more (there a look costs the most, and a change that makes the team lose is caught by the slow
// runs below, not by the look: measured on the reference MLP at batch 128, 2 threads, a look of 3
// runs alone took ~3.5 ms, 3.5% of an epoch, and fell in a user's second epoch). A look at a losing
// team also makes the stay long enough that looks cost at most 1/LOOK_SHARE of the time (under a
// busy core one team run can cost tens of single-thread runs), and ends at its first counted run
// that is 3× slower. A long stay on the team does not hide a change: runs far (1.5×) slower than
// one thread's figure, SLOW_RUNS or more in a row and SLOW_MS long, end the stay, restart the stays
// from STAY and look at the main thread at once.
// (A lone slow run is a worker descheduled for a moment, and a burst of slow runs shorter than
// SLOW_MS is the engine compiling or collecting on a background thread; neither lasts.)
//
// The verdict and the stay are shared by the programs of a backend (TeamHealth): a program that first
// runs while the team is losing starts on the main thread instead of paying team runs to find out again.

/** The latest verdict on the team, shared by the programs of one backend. */
export interface TeamHealth {
  teamFaster: boolean;
  stay: number;
}

export class ModeChooser {
  static readonly LOOK = 3;
  static readonly STAY = 48;
  /** A team this many times faster than one thread has its stays grow 4× per confirming look, not 2×. */
  static readonly CLEAR = 1.5;
  static readonly MAX_STAY = 3072;
  /** Looks at a losing team take at most 1/50 of the time spent alone. */
  static readonly LOOK_SHARE = 50;
  /** Team runs in a row far slower than one thread's figure that end a stay on the team. */
  static readonly SLOW_RUNS = 3;
  static readonly SLOW_MS = 50;
  static readonly SLOW = 1.5;
  /** Fastest run of each mode's latest visit: [main thread alone, team]. */
  private readonly best = [Infinity, Infinity];
  private team = true;
  private looking = false;
  private left = 0;
  private visitRuns = 0;
  private visitBest = Infinity;
  private visitTotal = 0;
  /** Team runs in a row, in a stay, slower than one thread's figure: how many, their time, the fastest. */
  private slowRuns = 0;
  private slowTime = 0;
  private slowBest = Infinity;

  /** Whether next() has not been called yet: the first visit follows the verdict at that time. */
  private fresh = true;

  constructor(private readonly health: TeamHealth) {}

  /** True: run on the team. */
  next(): boolean {
    if (this.fresh) {
      // Not at construction: fit compiles its programs up front, and a tail-batch program first
      // runs at the end of an epoch, when the main program may have found the team losing.
      this.fresh = false;
      if (this.health.teamFaster) this.visit(true, ModeChooser.LOOK + 1, false);
      else this.visit(false, this.health.stay, false);
    }
    if (this.left === 0) this.endVisit();
    this.left--;
    return this.team;
  }

  /** True while the mode `next` chose is the preferred one, not a look at the other. */
  get staying(): boolean {
    return !this.looking;
  }

  /** The fastest run of the latest visit alone, in ms (Infinity before the first). */
  get soloMs(): number {
    return this.best[0];
  }

  /** The time of the run `next` chose. */
  record(ms: number): void {
    if (this.visitRuns++ > 0) this.visitBest = Math.min(this.visitBest, ms);
    this.visitTotal += ms;
    if (!this.team) return;
    const solo = this.best[0];
    if (this.looking) {
      // A look at the team that is already far slower than one thread ends here; not at its first
      // run, which wakes the workers (up to milliseconds on these VMs, every time they rested).
      if (this.visitRuns > 1 && ms > 3 * solo) {
        this.visitBest = Math.min(this.visitBest, ms);
        this.left = 0;
      }
      return;
    }
    // A stay on the team whose runs lose to one thread's figure again and again: something changed
    // (a busy core). The team's figure becomes the streak's fastest run, not the stay's, and the
    // main thread is looked at now.
    if (ms > ModeChooser.SLOW * solo) {
      this.slowBest = Math.min(this.slowBest, ms);
      this.slowTime += ms;
      if (++this.slowRuns >= ModeChooser.SLOW_RUNS && this.slowTime >= ModeChooser.SLOW_MS) {
        this.best[1] = this.slowBest;
        this.health.stay = ModeChooser.STAY;
        this.visit(false, ModeChooser.LOOK, true);
      }
    } else {
      this.slowRuns = 0;
      this.slowTime = 0;
      this.slowBest = Infinity;
    }
  }

  private endVisit(): void {
    this.best[this.team ? 1 : 0] = this.visitBest;
    const [solo, team] = this.best;
    const health = this.health;
    if (solo === Infinity) {
      this.visit(false, ModeChooser.LOOK, true);
      return;
    }
    if (team === Infinity) {
      this.visit(true, ModeChooser.LOOK, true);
      return;
    }
    const preferTeam = team <= 1.1 * solo;
    const confirmed = health.teamFaster === preferTeam;
    health.teamFaster = preferTeam;
    if (this.looking || this.team !== preferTeam) {
      if (!confirmed) health.stay = ModeChooser.STAY;
      else if (this.looking && this.team && !preferTeam) {
        const share = Math.ceil((ModeChooser.LOOK_SHARE * this.visitTotal) / solo);
        health.stay = Math.min(Math.max(2 * health.stay, share), ModeChooser.MAX_STAY);
      } else if (this.looking) {
        const growth = preferTeam && ModeChooser.CLEAR * team <= solo ? 4 : 2;
        health.stay = Math.min(growth * health.stay, ModeChooser.MAX_STAY);
      }
      this.visit(preferTeam, health.stay, false);
    } else this.visit(!preferTeam, ModeChooser.LOOK, true);
  }

  private visit(team: boolean, runs: number, looking: boolean): void {
    this.team = team;
    this.left = runs;
    this.looking = looking;
    this.visitRuns = 0;
    this.visitBest = Infinity;
    this.visitTotal = 0;
    this.slowRuns = 0;
    this.slowTime = 0;
    this.slowBest = Infinity;
  }
}
