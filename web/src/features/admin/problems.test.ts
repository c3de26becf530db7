import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import { setLocale } from "../../i18n";
import { isRefusedAccess, problemOf } from "./problems";

afterEach(async () => {
  await setLocale("en-US");
});

describe("the API's refusals as an admin reads them", () => {
  const ownRole = new ApiError(409, "own_admin_role", "You cannot remove your own admin role; ask another admin.");

  it("says a guard in words by its code, with the API's message kept as the detail", () => {
    expect(problemOf(ownRole)).toEqual({
      text: "You cannot remove your own admin role. Ask another administrator to do it.",
      detail: "You cannot remove your own admin role; ask another admin.",
      code: "own_admin_role",
    });
    expect(problemOf(new ApiError(409, "own_account", "You cannot disable your own account.")).text).toMatch(
      /cannot disable your own account/,
    );
  });

  it("follows the chosen language; the API's detail stays as the API wrote it", async () => {
    await setLocale("es-US");
    const problem = problemOf(ownRole);
    expect(problem.text).toBe("No puede quitarse su propio rol de administrador. Pídaselo a otro administrador.");
    expect(problem.detail).toBe("You cannot remove your own admin role; ask another admin.");
  });

  it("treats the gateway's and the API's 403 alike: not allowed", () => {
    const gateway = new ApiError(403, "http_403", "User is not authorized to access this resource");
    const api = new ApiError(403, "forbidden", "This resource needs the admin role.");
    expect(problemOf(gateway).text).toBe(problemOf(api).text);
    expect(isRefusedAccess(gateway) && isRefusedAccess(api)).toBe(true);
    expect(isRefusedAccess(ownRole)).toBe(false);
  });

  it("names an unknown refusal generically and a network failure as such", () => {
    expect(problemOf(new ApiError(409, "something_new", "New rule.")).text).toBe("The request was refused.");
    expect(problemOf(new ApiError(502, "bad_gateway", "Upstream")).text).toMatch(/server could not complete/);
    const offline = problemOf(new TypeError("Failed to fetch"));
    expect(offline).toEqual({
      text: "The portal could not reach the service. Check your connection and try again.",
      detail: "Failed to fetch",
      code: null,
    });
  });
});
