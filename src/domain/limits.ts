/** The most check-ins `history` shows at once (also the Discord option's maximum). */
export const MAX_HISTORY = 50;
