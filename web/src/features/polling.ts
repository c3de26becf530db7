// How often a page re-reads a record whose status is still moving.
import type { Application, Policy } from "../api/types";

/** Automated underwriting answers in seconds; a human review takes longer. */
export function applicationPollMs(application: Application | undefined): number | false {
  if (!application) return false;
  if (application.status === "SUBMITTED") return 1500;
  if (application.status === "UNDER_REVIEW" || application.status === "REFERRED") return 10_000;
  return false;
}

/** A policy's document is rendered, or a payment settled, after the page was opened. */
export function policyPollMs(policy: Policy | undefined, awaitingPayment: boolean): number | false {
  if (!policy) return false;
  if (awaitingPayment) return 1000;
  if (policy.status === "ACTIVE" && policy.documentStatus === "PENDING") return 2000;
  return false;
}

/** A Salesforce sync run is queued, then runs for seconds to minutes; a finished run stays put. */
export function syncRunPollMs(run: { status: string } | undefined): number | false {
  if (!run) return false;
  if (run.status === "QUEUED" || run.status === "RUNNING" || run.status === "RETRYING") return 2000;
  return false;
}
