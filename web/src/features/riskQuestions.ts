// The rating questions each product asks (its rate table's risk factors). The catalogue API
// does not publish them yet, so they are listed here; the API still checks every answer and
// names the field of a wrong one, which the quote form shows beside that question.
import type { MessageKey } from "../i18n";

export interface RiskQuestion {
  name: string;
  label: MessageKey;
  options: { value: string; label: MessageKey }[];
}

const SMOKER: RiskQuestion = {
  name: "smoker",
  label: "risk.smoker",
  options: [
    { value: "false", label: "form.no" },
    { value: "true", label: "form.yes" },
  ],
};

export const RISK_QUESTIONS: Record<string, RiskQuestion[]> = {
  "term-life": [SMOKER],
  "whole-life": [SMOKER],
  "health-ppo": [{ ...SMOKER, name: "tobacco", label: "risk.tobacco" }],
  "auto-standard": [
    {
      name: "drivingRecord",
      label: "risk.drivingRecord",
      options: [
        { value: "clean", label: "risk.drivingRecord.clean" },
        { value: "minor", label: "risk.drivingRecord.minor" },
        { value: "major", label: "risk.drivingRecord.major" },
      ],
    },
  ],
};

export const PLAN_FEATURES = [
  "mail_order_pharmacy",
  "preferred_network",
  "insulin_savings",
  "gap_coverage",
  "specialty_pharmacy",
  "ninety_day_supply",
  "vaccines_covered",
  "telehealth",
  "generic_tier_zero",
  "brand_name_discount",
] as const;

export const US_STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
  "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
  "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
];
