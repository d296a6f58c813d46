// Types of scripts/gen-sheets.mjs for the tests that use it.
export function sheetText(i: number, seedText?: string): string;
export function genSheets(count: number, dir: string): string[];
export function rng(seed: number): () => number;
