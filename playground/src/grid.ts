/** Resolution of the 2-D decision-surface lattice (GRID × GRID predictions per epoch). */
export const GRID = 50;
