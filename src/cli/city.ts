//! The city's defaults file (sheetgen.config.yaml) applied to a command's options: what the command
//! line gives wins; fonts and the output folder are the file's paths (relative to the file).

import { sep } from 'node:path';
import { configFor, findConfig, readConfig } from '../core/config.js';
import type { Lang } from '../diagnostics.js';

export interface CityDefaultable {
  output?: string;
  font?: string;
  boldFont?: string;
  gradeColumn?: boolean;
}

export function withCityDefaults<O extends CityDefaultable>(opts: O, near: string, lang: Lang): O {
  const city = configFor(near, lang);
  if (!city) return opts;
  return {
    ...opts,
    // A trailing separator: the output is a folder even before it exists (one sheet is written into it).
    ...(opts.output === undefined && city.output !== undefined
      ? { output: city.output.endsWith(sep) ? city.output : city.output + sep }
      : {}),
    ...(opts.font === undefined && city.fonts?.regular !== undefined ? { font: city.fonts.regular } : {}),
    ...(opts.boldFont === undefined && city.fonts?.bold !== undefined ? { boldFont: city.fonts.bold } : {}),
    ...(opts.gradeColumn === undefined && city.form?.gradeColumn !== undefined
      ? { gradeColumn: city.form.gradeColumn }
      : {}),
  };
}

/** The language a defaults file above the current folder asks for, if any (a broken file is reported later, by the command). */
export function cityLang(cwd: string = process.cwd()): Lang | undefined {
  const f = findConfig(cwd);
  if (!f) return undefined;
  try {
    return readConfig(f, 'en').lang;
  } catch {
    return undefined;
  }
}
