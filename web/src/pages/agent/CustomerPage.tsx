// One customer as staff see them: the profile, and what the CRM (Salesforce) says about them.
// Values are shown as the API gives them: what it masks stays masked.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Page } from "../../components/Page";
import { useApi } from "../../context";
import { AgentOnly, AgentQueryState } from "../../features/agent/access";
import { customerName } from "../../features/agent/customers";
import { currentLocale, formatDate, formatDateTime, t, tMaybe } from "../../i18n";

type CustomerRecord = components["schemas"]["CustomerRecord"];

export default function CustomerPage() {
  return (
    <AgentOnly>
      <Customer />
    </AgentOnly>
  );
}

function Customer() {
  const { customerId = "" } = useParams();
  const api = useApi();
  const customer = useQuery({
    queryKey: ["agent", "customer", customerId],
    queryFn: () => unwrap(api.GET("/customers/{customerId}", { params: { path: { customerId } } })),
  });
  const title = customer.data ? customerName(customer.data) : t("agent.customer.title");
  return (
    <Page title={title}>
      <p>
        <Link to="/agent/customers">{t("agent.customer.back")}</Link>
      </p>
      <AgentQueryState query={customer}>{(found) => <CustomerDetails customer={found} />}</AgentQueryState>
    </Page>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function orNone(value: string | null | undefined): string {
  return value && value.trim() ? value : t("agent.none");
}

/** Salesforce's figure (a decimal amount, not cents) in the reader's format. */
function lifetimeValue(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return t("agent.none");
  const amount = Number(value);
  if (!Number.isFinite(amount)) return value;
  return new Intl.NumberFormat(currentLocale(), { style: "currency", currency: "USD" }).format(amount);
}

function syncStatus(c: CustomerRecord): string {
  if (c.deleted) {
    return c.deletedAt
      ? t("agent.customer.sync.deletedAt", { when: formatDateTime(c.deletedAt) })
      : t("agent.customer.sync.deleted");
  }
  if (!c.salesforceId) return t("agent.customer.sync.notLinked");
  if (!c.crmSyncedAt) return t("agent.customer.sync.pending");
  return t("agent.customer.sync.synced", { when: formatDateTime(c.crmSyncedAt) });
}

function CustomerDetails({ customer: c }: { customer: CustomerRecord }) {
  const address = c.address
    ? [c.address.line1, c.address.line2, `${c.address.city}, ${c.address.state} ${c.address.postalCode}`]
        .filter(Boolean)
        .join(", ")
    : null;
  const channels = [
    c.contactPreferences.email ? t("agent.customer.channel.email") : null,
    c.contactPreferences.sms ? t("agent.customer.channel.sms") : null,
  ].filter(Boolean);
  return (
    <div className="customer">
      {c.deleted ? (
        <p className="warning" role="status">
          {t("agent.customer.deletedNotice")}
        </p>
      ) : null}
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("agent.customer.profile")}</h2>
        <dl className="facts">
          <Row label={t("agent.customer.id")}>
            <code>{c.customerId}</code>
          </Row>
          <Row label={t("agent.customer.email")}>{orNone(c.email)}</Row>
          <Row label={t("agent.customer.phone")}>{orNone(c.phone)}</Row>
          <Row label={t("agent.customer.dateOfBirth")}>{c.dateOfBirth ? formatDate(c.dateOfBirth) : t("agent.none")}</Row>
          <Row label={t("agent.customer.address")}>{orNone(address)}</Row>
          <Row label={t("agent.customer.contact")}>{channels.length ? channels.join(", ") : t("agent.none")}</Row>
          <Row label={t("agent.customer.language")}>
            {tMaybe(`agent.customer.language.${c.preferredLanguage}`, c.preferredLanguage)}
          </Row>
          <Row label={t("agent.customer.created")}>{formatDateTime(c.createdAt)}</Row>
          <Row label={t("agent.customer.updated")}>{formatDateTime(c.updatedAt)}</Row>
          <Row label={t("agent.customer.version")}>{c.version}</Row>
        </dl>
      </section>
      <section className="card" aria-labelledby="crm-title">
        <h2 id="crm-title">{t("agent.customer.crm")}</h2>
        <dl className="facts">
          <Row label={t("agent.customer.syncStatus")}>{syncStatus(c)}</Row>
          <Row label={t("agent.customer.salesforceId")}>{c.salesforceId ? <code>{c.salesforceId}</code> : t("agent.none")}</Row>
          <Row label={t("agent.customer.accountName")}>{orNone(c.accountName)}</Row>
          <Row label={t("agent.customer.leadSource")}>{orNone(c.leadSource)}</Row>
          <Row label={t("agent.customer.lifetimeValue")}>{lifetimeValue(c.lifetimeValue)}</Row>
          <Row label={t("agent.customer.source")}>
            {c.source ? tMaybe(`agent.customer.source.${c.source}`, c.source) : t("agent.customer.source.portal")}
          </Row>
          <Row label={t("agent.customer.crmSyncedAt")}>{c.crmSyncedAt ? formatDateTime(c.crmSyncedAt) : t("agent.none")}</Row>
        </dl>
      </section>
      <p>
        <Link className="button" to={`/agent/assistant?customerId=${encodeURIComponent(c.customerId)}`}>
          {t("agent.customer.ask")}
        </Link>
      </p>
    </div>
  );
}
