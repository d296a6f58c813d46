// Finding and running LibreOffice headless for the tests: a workbook opened and saved by another
// spreadsheet program, with every formula computed by it. CI installs it (.ci/run) and sets
// SHEETGEN_REQUIRE_SOFFICE=1, so that a missing soffice fails there instead of skipping.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function findSoffice(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const name of ['soffice', 'libreoffice'])
    for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  for (const p of ['/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice'])
    if (existsSync(p)) return p;
  return undefined;
}

export const REQUIRE_SOFFICE =
  process.env.SHEETGEN_REQUIRE_SOFFICE === '1' || process.env.SHEETGEN_REQUIRE_SOFFICE === 'true';

/** Opens each .xlsx with LibreOffice and saves it again as .xlsx into outDir (formulas recomputed). */
export function resaveWithSoffice(soffice: string, files: string[], outDir: string): string[] {
  const profile = mkdtempSync(join(tmpdir(), 'sheetgen-lo-profile-'));
  try {
    execFileSync(
      soffice,
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'xlsx',
        '--outdir',
        outDir,
        ...files,
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return readdirSync(outDir)
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => join(outDir, f));
}
