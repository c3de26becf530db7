import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Policy } from "../api/types";
import { setLanguage } from "../i18n";
import { fakeFetch, renderPage } from "../test/harness";
import { PayForm } from "./PayForm";

const POLICY = {
  policyId: "01J0000000000000000000POLI",
  policyNumber: "TL-1",
  status: "PENDING_PAYMENT",
  annualPremium: { amountCents: 40345, currency: "USD" },
} as unknown as Policy;
const PAY = `POST /v1/policies/${POLICY.policyId}/payments`;

afterEach(() => {
  vi.unstubAllGlobals();
  setLanguage("en");
});

async function payWithCard(fetch: typeof globalThis.fetch, number = "4242 4242 4242 4242") {
  vi.stubGlobal("fetch", fetch); // the gateway's tokenization is called directly
  const onPaid = vi.fn();
  const onProcessing = vi.fn();
  renderPage(
    "/",
    "/",
    <PayForm policy={POLICY} due={POLICY.annualPremium} onProcessing={onProcessing} onPaid={onPaid} />,
    fetch,
  );
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/Card number/), number);
  await user.type(screen.getByLabelText(/Expiry month/), "12");
  await user.type(screen.getByLabelText(/Expiry year/), "39");
  await user.type(screen.getByLabelText(/Security code/), "123");
  await user.click(screen.getByRole("button", { name: "Pay $403.45" }));
  return { user, onPaid, onProcessing };
}

describe("paying a premium", () => {
  it("retries after an outage with the same Idempotency-Key and token, never sending the card", async () => {
    const api = fakeFetch({
      "POST /payments/v1/tokens": [{ status: 200, body: { id: "tok_visa" } }],
      [PAY]: [
        { status: 503, body: { error: { code: "payment_gateway_unavailable", message: "The payment gateway did not answer." } } },
        { status: 201, body: { paymentId: "pi_1", status: "SUCCEEDED" } },
      ],
    });
    const { user, onPaid } = await payWithCard(api.fetch);
    expect(await screen.findByRole("alert")).toHaveTextContent("not answering");
    await user.click(screen.getByRole("button", { name: "Retry payment" }));
    await vi.waitFor(() => expect(onPaid).toHaveBeenCalled());

    const payments = api.calls.filter((c) => c.url.endsWith("/payments"));
    expect(payments).toHaveLength(2);
    const keys = payments.map((c) => c.headers.get("Idempotency-Key"));
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(payments.map((c) => JSON.parse(c.body))).toEqual([{ paymentMethod: "tok_visa" }, { paymentMethod: "tok_visa" }]);
    const toApi = api.calls.filter((c) => c.url.startsWith("https://api.test"));
    expect(toApi.some((c) => c.body.includes("4242"))).toBe(false);
  });

  it("says a decline plainly and starts a new attempt with a new key", async () => {
    const api = fakeFetch({
      "POST /payments/v1/tokens": [{ status: 200, body: { id: "tok_chargeDeclined" } }],
      [PAY]: [{ status: 402, body: { error: { code: "payment_required", message: "Your card was declined." } } }],
    });
    const { user } = await payWithCard(api.fetch, "4000 0000 0000 0002");
    expect(await screen.findByRole("alert")).toHaveTextContent("Your card was declined");
    await user.type(screen.getByLabelText(/Card number/), "4000 0000 0000 0002");
    await user.type(screen.getByLabelText(/Expiry month/), "12");
    await user.type(screen.getByLabelText(/Expiry year/), "39");
    await user.type(screen.getByLabelText(/Security code/), "123");
    await user.click(screen.getByRole("button", { name: "Pay $403.45" }));
    await vi.waitFor(() => expect(api.calls.filter((c) => c.url.endsWith("/payments"))).toHaveLength(2));
    const [first, second] = api.calls.filter((c) => c.url.endsWith("/payments")).map((c) => c.headers.get("Idempotency-Key"));
    expect(second).not.toBe(first);
  });

  it("shows the gateway's card error beside the card number", async () => {
    const api = fakeFetch({
      "POST /payments/v1/tokens": [
        { status: 402, body: { error: { message: "Your card number is incorrect.", param: "card[number]" } } },
      ],
    });
    await payWithCard(api.fetch, "1234");
    expect(await screen.findByText("Your card number is incorrect.")).toBeInTheDocument();
    expect(screen.getByLabelText(/Card number/)).toHaveAccessibleDescription("Your card number is incorrect.");
    expect(api.calls.some((c) => c.url.endsWith("/payments"))).toBe(false);
  });

  it("says plainly when the bank confirms later, and lets the page watch for it", async () => {
    const api = fakeFetch({
      "POST /payments/v1/tokens": [{ status: 200, body: { id: "tok_async" } }],
      [PAY]: [{ status: 202, body: { paymentId: "pi_2", status: "PROCESSING" } }],
    });
    const { onPaid, onProcessing } = await payWithCard(api.fetch, "4000 0025 0000 3155");
    expect(await screen.findByText(/Your bank is confirming the payment/)).toBeInTheDocument();
    expect(onProcessing).toHaveBeenCalled();
    expect(onPaid).not.toHaveBeenCalled();
  });

  it("says a decline and a card problem in Spanish, by the gateway's codes", async () => {
    await setLanguage("es");
    const api = fakeFetch({
      "POST /payments/v1/tokens": [
        { status: 402, body: { error: { code: "incorrect_number", message: "Your card number is incorrect.", param: "card[number]" } } },
        { status: 200, body: { id: "tok_chargeDeclinedInsufficientFunds" } },
      ],
      [PAY]: [
        {
          status: 402,
          body: { error: { code: "payment_declined", message: "Your card has insufficient funds.", details: { declineCode: "insufficient_funds" } } },
        },
      ],
    });
    vi.stubGlobal("fetch", api.fetch);
    renderPage("/", "/", <PayForm policy={POLICY} due={POLICY.annualPremium} onProcessing={vi.fn()} onPaid={vi.fn()} />, api.fetch);
    const user = userEvent.setup();
    const fill = async (number: string) => {
      await user.type(screen.getByLabelText(/Número de tarjeta/), number);
      await user.type(screen.getByLabelText(/Mes de vencimiento/), "12");
      await user.type(screen.getByLabelText(/Año de vencimiento/), "39");
      await user.type(screen.getByLabelText(/Código de seguridad/), "123");
      await user.click(screen.getByRole("button", { name: "Pagar $403.45" }));
    };
    await fill("1234");
    expect(await screen.findByText("El número de su tarjeta es incorrecto.")).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/Número de tarjeta/));
    await user.clear(screen.getByLabelText(/Mes de vencimiento/));
    await user.clear(screen.getByLabelText(/Año de vencimiento/));
    await user.clear(screen.getByLabelText(/Código de seguridad/));
    await fill("4000 0000 0000 9995");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Su tarjeta no tiene fondos suficientes. Puede intentarlo con otra tarjeta.",
    );
  });
});
