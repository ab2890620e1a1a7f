export { nameResult } from './nameResult.ts';
export { splitIntoPercentages } from './splitIntoPercentages.ts';
