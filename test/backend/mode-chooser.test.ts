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
  it('keeps a faster team, looking at the main thread alone for 3 runs after every 48', () => {
    const chooser = new ModeChooser(fresh());
    // 4 team runs, a 3-run look alone, then 48 on the team and 3 alone, and so on.
    expect(drive(chooser, 4 + 3 + 51 * 4, 0.4, 0.8)).toBe(4 + 48 * 4);
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

  it('starts a new program on the main thread while the team is losing, and goes back when the team wins', () => {
    const health: TeamHealth = { teamFaster: false, stay: 96 };
    const chooser = new ModeChooser(health);
    expect(drive(chooser, 96, 0.4, 1)).toBe(0);
    // The look finds the team faster again: it stays there.
    expect(drive(chooser, 3 + 48, 0.4, 1)).toBe(3 + 48);
    expect(health).toEqual({ teamFaster: true, stay: ModeChooser.STAY });
  });
});
