// What every page reads: the configuration, the API client and the sign-in session.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { User } from "oidc-client-ts";
import type { Api } from "./api/client";
import type { Session } from "./auth/session";
import type { PortalConfig } from "./config";

export interface Services {
  config: PortalConfig;
  api: Api;
  session: Session;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

export function useApi(): Api {
  return useServices().api;
}

/** The signed-in user (null when signed out), updated on sign-in, renewal and sign-out. */
export function useUser(): User | null {
  const { session } = useServices();
  const [user, setUser] = useState<User | null>(session.current());
  useEffect(() => session.onChange(setUser), [session]);
  return user;
}
