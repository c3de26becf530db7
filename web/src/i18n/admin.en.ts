// The admin console's English texts; keys start with "admin.".
export const adminEn = {} as const;
