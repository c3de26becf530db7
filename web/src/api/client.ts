// The generated API client: typed paths from the OpenAPI, the ID token added to every call.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { fromBody } from "./errors";

export type Api = ReturnType<typeof createClient<paths>>;

export function createApi(
  baseUrl: string,
  idToken: () => string | null,
  fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
): Api {
  const api = createClient<paths>({ baseUrl, fetch: fetchImpl });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = idToken();
      // API Gateway's Cognito authorizer reads the ID token from Authorization as it is.
      if (token) request.headers.set("Authorization", token);
      return request;
    },
  };
  api.use(auth);
  return api;
}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or its error body thrown as an ApiError. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw fromBody(response.status, error);
  }
  return data as T;
}
