// Names for the API's shapes, all from the generated schema (src/api/schema.d.ts).
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Money = Schemas["Money"];
export type Product = Schemas["Product"];
export type CoverageOption = Schemas["CoverageOption"];
export type Quote = Schemas["Quote"];
export type QuoteRequest = Schemas["QuoteRequest"];
export type Application = Schemas["Application"];
export type ApplicationRequest = Schemas["ApplicationRequest"];
export type Policy = Schemas["Policy"];
export type CancellationRequest = Schemas["CancellationRequest"];
export type Notification = Schemas["Notification"];
export type Profile = Schemas["Profile"];
export type ProfileUpdate = Schemas["ProfileUpdate"];
export type Plan = Schemas["Plan"];
export type Enrollment = Schemas["Enrollment"];
export type Comparison = Schemas["Comparison"];
export type BeneficiaryLinkRequest = Schemas["BeneficiaryLinkRequest"];
export type MailRequest = Schemas["MailRequest"];
export type Address = Schemas["Address"];
export type ErrorBody = Schemas["Error"];

export type PlanSummary = Schemas["PlanSummary"];
export type PlanPage = Schemas["PlanPage"];
export type Payment = Schemas["Payment"];
