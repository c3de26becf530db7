// The agent console's Spanish texts: every key of the English module, checked by the compiler.
import type { agentEn } from "./agent.en";

export const agentEs: Record<keyof typeof agentEn, string> = {};
