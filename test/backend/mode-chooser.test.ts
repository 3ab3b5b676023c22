// The team-or-alone choice, driven with made-up run times.
import { describe, expect, it } from 'vitest';
import { ModeChooser, type TeamHealth } from '../../src/backend/wasm/mode-chooser.js';

/** Runs `n` programs whose time depends on the mode; returns how many ran on the team. */
function drive(chooser: ModeChooser, n: number, teamMs: number, soloMs: number): number {
  let team = 0;
  for (let i = 0; i < n; i++) {
    const onTeam = chooser.next();
    if (onTeam) team++;
    chooser.record(onTeam ? teamMs : soloMs);
  }
  return team;
}

const fresh = (): TeamHealth => ({ teamFaster: true, stay: ModeChooser.STAY });

describe('ModeChooser', () => {
  it('keeps a faster team, looking at the main thread alone less and less often', () => {
    const health = fresh();
    const chooser = new ModeChooser(health);
    // Team 1.33× faster: 4 team runs, a 3-run look alone, then 96 on the team, 3 alone, 192 on the
    // team, 3 alone, 384…
    expect(drive(chooser, 4 + 3 + 96 + 3 + 192 + 3 + 384, 0.6, 0.8)).toBe(4 + 96 + 192 + 384);
    expect(health.stay).toBe(384);
    // The stays stop growing at MAX_STAY.
    drive(chooser, 20_000, 0.6, 0.8);
    expect(health.stay).toBe(ModeChooser.MAX_STAY);
  });

  it('lets the stays grow 4× per look when the team is CLEAR-ly faster', () => {
    const health = fresh();
    const chooser = new ModeChooser(health);
    // Team 2× faster: 4 team runs, a 3-run look alone, 192 on the team, 3 alone, 768 on the team.
    expect(drive(chooser, 4 + 3 + 192 + 3 + 768, 0.4, 0.8)).toBe(4 + 192 + 768);
    expect(health.stay).toBe(768);
    // Exactly CLEAR (1.5×) still counts as clear; just below it the stays double.
    const edge = fresh();
    drive(new ModeChooser(edge), 4 + 3 + 1, 0.8 / ModeChooser.CLEAR, 0.8);
    expect(edge.stay).toBe(4 * ModeChooser.STAY);
    const below = fresh();
    drive(new ModeChooser(below), 4 + 3 + 1, 0.81 / ModeChooser.CLEAR, 0.8);
    expect(below.stay).toBe(2 * ModeChooser.STAY);
    drive(chooser, 20_000, 0.4, 0.8);
    expect(health.stay).toBe(ModeChooser.MAX_STAY);
  });

  it('ends a long stay on the team after 50 ms of runs far slower than one thread, and looks', () => {
    const health = fresh();
    const chooser = new ModeChooser(health);
    drive(chooser, 4 + 3 + 192 + 3 + 10, 0.4, 0.8);
    expect(health.stay).toBe(768);
    // One slow run (a descheduled worker) does not end the stay, nor do runs a little slower, nor a
    // 40 ms burst of slow runs (a background compile).
    expect(drive(chooser, 1, 5, 0.8)).toBe(1);
    expect(drive(chooser, 5, 0.4, 0.8)).toBe(5);
    expect(drive(chooser, 5, 1.1, 0.8)).toBe(5);
    expect(drive(chooser, 20, 2, 0.8)).toBe(20);
    expect(drive(chooser, 1, 0.4, 0.8)).toBe(1);
    // A core gets busy: the run that completes 50 ms of slow runs is the stay's last; a look alone
    // follows, it wins, and the main thread stays with the stays back at their start.
    expect(drive(chooser, 25, 2, 0.8)).toBe(25);
    expect(drive(chooser, 3 + ModeChooser.STAY, 2, 0.8)).toBe(0);
    expect(health).toEqual({ teamFaster: false, stay: ModeChooser.STAY });
  });

  it('keeps the team when one thread is less than 10% faster', () => {
    expect(drive(new ModeChooser(fresh()), 200, 1.05, 1)).toBeGreaterThan(180);
  });

  it('leaves a slower team, and looks at it less and less often while it keeps losing', () => {
    const health = fresh();
    const chooser = new ModeChooser(health);
    const first = drive(chooser, 500, 3, 1);
    // 4 + 3 + 3 + 3 team runs: the first visit, then looks after 96, 192 and (later) 384 runs.
    expect(first).toBeLessThanOrEqual(4 + 3 * 3);
    expect(health.teamFaster).toBe(false);
    expect(health.stay).toBeGreaterThanOrEqual(4 * ModeChooser.STAY);
  });

  it(
    'judges a look at the team without its first run, ' + 'which wakes the workers: a slow wake does not end the look',
    () => {
      const health = fresh();
      const chooser = new ModeChooser(health);
      // A new module's first runs are slow on the team (baseline code): the team loses the first visit.
      expect(drive(chooser, 4, 4, 0.8)).toBe(4);
      expect(drive(chooser, 3 + ModeChooser.STAY, 4, 0.8)).toBe(0);
      // The look: the first run (a wake-up) is 4 ms, the next two 0.4 ms: the team wins and stays.
      const times = [4, 0.4, 0.4];
      let onTeam = 0;
      for (const ms of times) {
        if (chooser.next()) onTeam++;
        chooser.record(ms);
      }
      expect(onTeam).toBe(3);
      expect(drive(chooser, ModeChooser.STAY, 0.4, 0.8)).toBe(ModeChooser.STAY);
      expect(health.teamFaster).toBe(true);
    },
  );

  it('a program compiled while the team still won starts alone if the team lost before its first run', () => {
    const health = fresh();
    const tail = new ModeChooser(health); // fit compiles the tail-batch program up front
    const main = new ModeChooser(health);
    drive(main, 4 + 3 + 10, 12, 0.6);
    expect(health.teamFaster).toBe(false);
    expect(drive(tail, 1, 12, 0.6)).toBe(0);
  });

  it('starts a new program on the main thread while the team is losing, and goes back when the team wins', () => {
    const health: TeamHealth = { teamFaster: false, stay: 96 };
    const chooser = new ModeChooser(health);
    expect(drive(chooser, 96, 0.4, 1)).toBe(0);
    // The look finds the team faster again: it stays there, with the stay back to its start.
    expect(drive(chooser, 3 + 48, 0.4, 1)).toBe(3 + 48);
    expect(health).toEqual({ teamFaster: true, stay: ModeChooser.STAY });
  });
});
