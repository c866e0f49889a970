import type Sqlite from 'better-sqlite3';

/**
 * The market's clock: real time at a configurable speed, plus whatever it was advanced by. Its state
 * is a row in the sandbox store, so every process serving the market reads the same time.
 */
export interface ClockState {
  now: number;
  speed: number;
}

interface ClockRow {
  base_real: number;
  base_market: number;
  speed: number;
}

export class MarketClock {
  private readonly read: Sqlite.Statement<[], ClockRow>;
  private readonly write: Sqlite.Statement<[number, number, number]>;

  constructor(
    private readonly db: Sqlite.Database,
    private readonly realNow: () => number,
    private readonly defaultSpeed: number,
  ) {
    this.read = db.prepare('select base_real, base_market, speed from clock where id = 1');
    this.write = db.prepare(
      `insert into clock (id, base_real, base_market, speed) values (1, ?, ?, ?)
       on conflict (id) do update set base_real = excluded.base_real, base_market = excluded.base_market,
       speed = excluded.speed`,
    );
  }

  private row(): ClockRow {
    const row = this.read.get();
    if (row) return row;
    const now = this.realNow();
    this.write.run(now, now, this.defaultSpeed);
    return { base_real: now, base_market: now, speed: this.defaultSpeed };
  }

  now(): number {
    const r = this.row();
    return Math.floor(r.base_market + (this.realNow() - r.base_real) * r.speed);
  }

  state(): ClockState {
    return { now: this.now(), speed: this.row().speed };
  }

  /** Moves market time forward; what falls due meanwhile runs at the next tick. */
  advance(ms: number): ClockState {
    return this.db
      .transaction(() => {
        const r = this.row();
        const real = this.realNow();
        const now = Math.floor(r.base_market + (real - r.base_real) * r.speed) + ms;
        this.write.run(real, now, r.speed);
        return { now, speed: r.speed };
      })
      .immediate();
  }

  setSpeed(speed: number): ClockState {
    return this.db
      .transaction(() => {
        const now = this.now();
        this.write.run(this.realNow(), now, speed);
        return { now, speed };
      })
      .immediate();
  }
}
