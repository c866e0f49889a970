import type Sqlite from 'better-sqlite3';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How the simulated sellers behave, in market time. Stored in the sandbox store and changed through
 * `PUT /sandbox/policy`.
 */
export interface SellerPolicy {
  /** A paid order ships this long after payment. */
  shipAfterMs: number;
  /** Time between two tracking steps (CONSIGN → ACCEPT → TRANSPORT → DELIVERING → SIGN). */
  traceStepMs: number;
  /** An unpaid order closes this long after creation. */
  unpaidCloseAfterMs: number;
  /** Receipt is confirmed automatically this long after the parcel is signed for. */
  autoConfirmAfterMs: number;
  /** A confirmed order becomes finished this long after confirmation. */
  finishAfterMs: number;
  /** Share of new orders whose seller changes the price before payment, 0..1. */
  priceModifyRate: number;
  priceModifyAfterMs: number;
  /** The seller's change, as a percentage range of the goods amount (negative = discount). */
  priceModifyPercent: [number, number];
  /** How sellers decide refund requests. */
  refundDecision: 'agree' | 'refuse' | 'random';
  /** With `random`: the share of requests agreed. */
  refundAgreeRate: number;
  refundDecisionAfterMs: number;
  /** A refund the seller neither agrees nor refuses is agreed automatically after this. */
  sellerAgreeTimeoutMs: number;
  /** After a refusal, the buyer has this long to modify the request before it closes. */
  buyerModifyTimeoutMs: number;
  /** After the seller agrees to a return, the buyer has this long to send the parcel. */
  buyerReturnTimeoutMs: number;
  /** The seller confirms a returned parcel this long after it is sent... */
  returnReceiveAfterMs: number;
  /** ...or the refund succeeds anyway after this. */
  sellerReceiveTimeoutMs: number;
  /** The seller answers a buyer's message about a refund this long after it (market time). */
  refundReplyAfterMs: number;
}

export const DEFAULT_POLICY: SellerPolicy = {
  shipAfterMs: 2 * HOUR,
  traceStepMs: 8 * HOUR,
  unpaidCloseAfterMs: DAY,
  autoConfirmAfterMs: 10 * DAY,
  finishAfterMs: HOUR,
  priceModifyRate: 0.1,
  priceModifyAfterMs: 10 * MINUTE,
  priceModifyPercent: [-10, 5],
  refundDecision: 'random',
  refundAgreeRate: 0.8,
  refundDecisionAfterMs: HOUR,
  sellerAgreeTimeoutMs: 2 * DAY,
  buyerModifyTimeoutMs: 7 * DAY,
  buyerReturnTimeoutMs: 7 * DAY,
  returnReceiveAfterMs: 2 * DAY,
  sellerReceiveTimeoutMs: 10 * DAY,
  refundReplyAfterMs: 10 * MINUTE,
};

export class PolicyStore {
  private readonly read: Sqlite.Statement<[], { value: string }>;
  private readonly write: Sqlite.Statement<[string]>;

  constructor(db: Sqlite.Database) {
    this.read = db.prepare("select value from meta where key = 'policy'");
    this.write = db.prepare(
      "insert into meta (key, value) values ('policy', ?) on conflict (key) do update set value = excluded.value",
    );
  }

  get(): SellerPolicy {
    const row = this.read.get();
    return row ? { ...DEFAULT_POLICY, ...(JSON.parse(row.value) as Partial<SellerPolicy>) } : { ...DEFAULT_POLICY };
  }

  /** Changes some fields; the others keep their values. */
  update(change: Partial<SellerPolicy>): SellerPolicy {
    const next = { ...this.get(), ...change };
    this.write.run(JSON.stringify(next));
    return next;
  }

  reset(): SellerPolicy {
    this.write.run(JSON.stringify(DEFAULT_POLICY));
    return { ...DEFAULT_POLICY };
  }
}
