// Runtime configuration: one build serves every environment, told where it is by config.json.

export interface PortalConfig {
  apiUrl: string;
  cognitoDomain: string;
  clientId: string;
  region: string;
  userPoolId: string;
  redirectUri: string;
  logoutUri: string;
  paymentsUrl: string;
  paymentsPublishableKey: string;
}

const REQUIRED: (keyof PortalConfig)[] = [
  "apiUrl",
  "cognitoDomain",
  "clientId",
  "region",
  "userPoolId",
  "redirectUri",
  "logoutUri",
  "paymentsUrl",
  "paymentsPublishableKey",
];

export function parseConfig(raw: unknown): PortalConfig {
  if (typeof raw !== "object" || raw === null) {
    throw new Error("config.json is not an object");
  }
  const values = raw as Record<string, unknown>;
  const missing = REQUIRED.filter((key) => typeof values[key] !== "string" || values[key] === "");
  if (missing.length > 0) {
    throw new Error(`config.json lacks ${missing.join(", ")}`);
  }
  const config = values as unknown as PortalConfig;
  return { ...config, apiUrl: config.apiUrl.replace(/\/$/, ""), cognitoDomain: config.cognitoDomain.replace(/\/$/, "") };
}

export async function loadConfig(): Promise<PortalConfig> {
  // no-cache: a redeployed config.json is read at once, the hashed bundle stays cached.
  const response = await fetch("/config.json", { cache: "no-cache" });
  if (!response.ok) {
    throw new Error(`config.json: HTTP ${response.status}`);
  }
  return parseConfig(await response.json());
}
