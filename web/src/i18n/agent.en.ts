// The agent console's English texts; keys start with "agent.".
export const agentEn = {} as const;
