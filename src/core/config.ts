//! A city's defaults in one file, sheetgen.config.yaml, found by walking up from a sheet's folder (the
//! nearest wins, as with .editorconfig): municipality, stage, grading for sheets that lack them; fonts,
//! output folder, language and form options for commands that were not given them. Checked against
//! schemas/config.schema.json, each problem located in the file.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import { EXIT, SheetgenError, type Diagnostic, type Lang } from '../diagnostics.js';
import { locate } from '../load/locate.js';
import { parseSheetText } from '../load/parse.js';
import { t } from '../messages.js';
import { closest } from '../validate/schema.js';

export const CONFIG_NAME = 'sheetgen.config.yaml';

export interface CityConfig {
  /** The file it came from. */
  file: string;
  municipality?: string;
  stage?: string;
  grading?: 'asahi' | 'five-level';
  /** Absolute paths. */
  fonts?: { regular?: string; bold?: string };
  /** Absolute path. */
  output?: string;
  lang?: Lang;
  form?: { gradeColumn?: boolean };
}

/** The nearest sheetgen.config.yaml in `dir` or above it. */
export function findConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const f = join(d, CONFIG_NAME);
    if (existsSync(f) && statSync(f).isFile()) return f;
    if (dirname(d) === d) return undefined;
  }
}

let validate: ReturnType<Ajv['compile']> | undefined;
const cache = new Map<string, { mtime: number; config: CityConfig }>();

function describe(
  e: ErrorObject,
  lang: Lang,
): { path: (string | number)[]; atKey: boolean; message: string; hint?: string } {
  const path = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/');
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const s = closest(field, allowed);
      return {
        path: [...path, field],
        atKey: true,
        message: t(lang, 'unknownKey', { field }),
        hint: s ? t(lang, 'didYouMean', { suggestion: s }) : t(lang, 'allowedFields', { list: allowed.join(', ') }),
      };
    }
    case 'enum':
      return {
        path,
        atKey: false,
        message: t(lang, 'enum', {
          list: (e.params as { allowedValues: unknown[] }).allowedValues.join(lang === 'ja' ? '、' : ', '),
        }),
      };
    case 'type':
      return {
        path,
        atKey: false,
        message: t(lang, 'type', {
          expected: t(lang, `type.${String((e.params as { type: string }).type)}`),
          actual: t(lang, `type.${Array.isArray(e.data) ? 'array' : e.data === null ? 'null' : typeof e.data}`),
        }),
      };
    case 'minLength':
      return { path, atKey: false, message: t(lang, 'minLength') };
    default:
      return { path, atKey: false, message: t(lang, 'schemaOther', { detail: e.message ?? e.keyword }) };
  }
}

/** Reads and checks a config file; a problem in it is a SheetgenError carrying located diagnostics. */
export function readConfig(file: string, lang: Lang): CityConfig {
  const abs = resolve(file);
  const mtime = statSync(abs).mtimeMs;
  const hit = cache.get(abs);
  if (hit && hit.mtime === mtime) return hit.config;
  const text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
  const parsed = parseSheetText(file, text, lang);
  const fail = (diagnostics: Diagnostic[]): never => {
    throw new SheetgenError(t(lang, 'configInvalid', { file }), { exitCode: EXIT.usage, diagnostics });
  };
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'yaml.empty');
  if (errors.length > 0) fail(errors);
  const data = (parsed.data ?? {}) as Record<string, unknown>;
  validate ??= (() => {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword('markdownDescription');
    return ajv.compile(configSchema);
  })();
  if (!validate(data)) {
    fail(
      (validate.errors ?? []).map((e): Diagnostic => {
        const p = describe(e, lang);
        const span = locate(parsed, p.path, { key: p.atKey });
        return {
          severity: 'error',
          code: `config.${e.keyword}`,
          file,
          path: p.path,
          ...(span ?? {}),
          message: p.message,
          ...(p.hint ? { hint: p.hint } : {}),
        };
      }),
    );
  }
  const dir = dirname(abs);
  const fonts = data.fonts as { regular?: string; bold?: string } | undefined;
  const form = data.form as { grade_column?: boolean } | undefined;
  const config: CityConfig = {
    file: abs,
    ...(typeof data.municipality === 'string' ? { municipality: data.municipality } : {}),
    ...(typeof data.stage === 'string' ? { stage: data.stage } : {}),
    ...(typeof data.grading === 'string' ? { grading: data.grading as CityConfig['grading'] & string } : {}),
    ...(fonts
      ? {
          fonts: {
            ...(fonts.regular ? { regular: resolve(dir, fonts.regular) } : {}),
            ...(fonts.bold ? { bold: resolve(dir, fonts.bold) } : {}),
          },
        }
      : {}),
    ...(typeof data.output === 'string' ? { output: resolve(dir, data.output) } : {}),
    ...(data.lang === 'ja' || data.lang === 'en' ? { lang: data.lang } : {}),
    ...(form && typeof form.grade_column === 'boolean' ? { form: { gradeColumn: form.grade_column } } : {}),
  };
  cache.set(abs, { mtime, config });
  return config;
}

/** The config that applies to a sheet file or folder, if any. */
export function configFor(path: string, lang: Lang): CityConfig | undefined {
  const abs = resolve(path);
  const dir = existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
  const f = findConfig(dir);
  return f ? readConfig(f, lang) : undefined;
}

/** Sheet data with the config's municipality, stage and grading where the sheet has none (the sheet's own value wins). */
export function withSheetDefaults(data: unknown, config: CityConfig | undefined): unknown {
  if (!config || data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const o = data as Record<string, unknown>;
  const out: Record<string, unknown> = { ...o };
  for (const k of ['municipality', 'stage', 'grading'] as const) {
    if (config[k] !== undefined && !Object.hasOwn(o, k)) out[k] = config[k];
  }
  return out;
}

/** The text of a new sheetgen.config.yaml, every field commented, for `sheetgen init --config`. */
export function configTemplate(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# sheetgen の市の既定値。このフォルダと、その下のフォルダのシートに使われます。
# シート自身に書いた値、コマンドで指定した値が優先されます。使わない項目は行ごと消してください。

# 自治体名 — シートに municipality がないときに使う
municipality: 〇〇市
# 段階 — シートに stage がないときに使う
stage: 事後・決算
# 評価方式 — asahi または five-level
grading: asahi
# PDF のフォント（このファイルからの相対パス）。書かなければ同梱の BIZ UDPゴシック
# fonts:
#   regular: fonts/MyFont-Regular.ttf
#   bold: fonts/MyFont-Bold.ttf
# build の出力先のフォルダ（このファイルからの相対パス）
output: public
# メッセージの言語 — ja または en
lang: ja
# 様式のオプション
form:
  # 達成状況の列を設ける
  grade_column: false
`;
}
