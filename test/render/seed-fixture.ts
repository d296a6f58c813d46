//! The seed sheet (旭市 令和2年度 事後・決算 重点施策9) as layout and render tests use it: read from
//! examples/asahi-2020-09.yaml through the real loader and grader, so the example stays the one source.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gradeLoaded } from '../../src/core/grade.js';
import { pdfMeta } from '../../src/core/build.js';
import { loadSheetText } from '../../src/core/load.js';
import type { GradedSheet, Sheet } from '../../src/model/types.js';

const file = fileURLToPath(new URL('../../examples/asahi-2020-09.yaml', import.meta.url));
const source = readFileSync(file, 'utf8');

function load(): GradedSheet {
  const loaded = gradeLoaded(loadSheetText('examples/asahi-2020-09.yaml', source, 'ja'), { lang: 'ja' });
  if (!loaded.graded || loaded.diagnostics.length > 0)
    throw new Error(`the seed example does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.graded;
}

const seed = load();

/** The seed's free texts, as the sheet must show them. */
export const SEED_TEXT = {
  reasons: seed.sheet.reasons as string, // the seed writes ② as free text
  situation: seed.sheet.situation,
  policy: seed.sheet.policy,
  opinion: seed.sheet.committee[0]!.opinion,
  response: seed.sheet.committee[0]!.response,
  remarks: seed.sheet.projects[0]!.remarks!,
};

/** A fresh copy each call, so a test may change fields without affecting others. */
export function seedSheet(overrides: Partial<Sheet> = {}): GradedSheet {
  const g = load();
  return { ...g, sheet: { ...g.sheet, ...overrides } };
}

export const SEED_META = pdfMeta(seed, undefined);
