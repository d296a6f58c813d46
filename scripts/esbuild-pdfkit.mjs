// esbuild plugin that bundles pdfkit and fontkit (their CommonJS builds) into dist instead of leaving
// them external: a cold `sheetgen build` then compiles one chunk instead of resolving and loading
// ~40 CommonJS files. The dependencies only needed for what sheetgen never does (encryption, PNG
// images, pdfkit's own line wrapping, WOFF2) stay out of the bundle and are required from the
// installed packages on first use; the Arabic/Indic/USE shapers' tables are built on first use.
// Every rewrite is checked: a pdfkit/fontkit upgrade that changes the patched lines fails the
// build instead of silently shipping a slower or broken bundle.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A value built on first property access (module-level tables fontkit builds eagerly). */
const LAZY = `function __sheetgenLazy(make) {
  let v;
  return new Proxy({}, { get(_, k) { v ??= make(); const x = v[k]; return typeof x === 'function' ? x.bind(v) : x; } });
}
`;

/** Replaces `from` with `to` exactly once, or fails the build. */
export function swap(src, from, to, file) {
  const i = src.indexOf(from);
  if (i < 0 || src.indexOf(from, i + from.length) >= 0)
    throw new Error(
      `esbuild-pdfkit: expected one "${from.slice(0, 60)}" in ${file}; pdfkit/fontkit changed, review scripts/esbuild-pdfkit.mjs`,
    );
  return src.slice(0, i) + to + src.slice(i + from.length);
}

function patchPdfkit(src, file) {
  // pdfkit finds its data (sRGB ICC profile for PDF/A, #standard-fonts AFM modules) from __filename,
  // which an ES module bundle lacks: point it at the installed pdfkit, resolved at run time.
  // A require that esbuild does not follow, resolving from pdfkit's own folder: for the lazy dependencies.
  src = `var __filename = require.resolve("pdfkit"), __dirname = require("path").dirname(__filename), __pdfkitRequire = require("module").createRequire(__filename);\n${src}`;
  // Encryption only (AES tables are computed at load: ~10 ms); kept working, loaded when used.
  src = swap(
    src,
    "var aes = require('@noble/ciphers/aes');",
    "var aes = { cbc: (...a) => __pdfkitRequire('@noble/ciphers/aes').cbc(...a), ecb: (...a) => __pdfkitRequire('@noble/ciphers/aes').ecb(...a) };",
    file,
  );
  // doc.text()'s line wrapping (sheetgen breaks lines itself; its Unicode trie is inflated at load) and PNG images.
  src = swap(
    src,
    "var LineBreaker = require('linebreak');",
    "var LineBreaker = function (...a) { return new (__pdfkitRequire('linebreak'))(...a); };",
    file,
  );
  src = swap(
    src,
    "var PNG = require('png-js');",
    "var PNG = function (...a) { return new (__pdfkitRequire('png-js'))(...a); };",
    file,
  );
  return src;
}

function patchFontkit(src, file) {
  src = LAZY + src;
  // WOFF2 only: brotli is 0.8 MB of source and builds its dictionary at load; required from fontkit's folder when used.
  src = swap(
    src,
    'var $elh9A$brotlidecompressjs = require("brotli/decompress.js");',
    'var $elh9A$brotlidecompressjs = (...a) => require("module").createRequire(require("module").createRequire(require.resolve("pdfkit")).resolve("fontkit"))("brotli/decompress.js")(...a);',
    file,
  );
  // Unicode properties are needed by fontkit's layout (vertical forms), not by parsing or subsetting.
  src = swap(
    src,
    'var $elh9A$unicodeproperties = require("unicode-properties");',
    'var $elh9A$unicodeproperties = __sheetgenLazy(() => require("unicode-properties"));',
    file,
  );
  // Every Glyph asks unicode-properties whether its code points are marks, which inflates its
  // Unicode trie on the first glyph; only layout (shaping) reads isMark, so compute it on first read.
  src = swap(
    src,
    `        this.isMark = this.codePoints.length > 0 && this.codePoints.every((0, $elh9A$unicodeproperties.isMark));
        this.isLigature = this.codePoints.length > 1;
    }
`,
    `        this.isLigature = this.codePoints.length > 1;
    }
    get isMark() {
        return this._isMark ??= this.codePoints.length > 0 && this.codePoints.every((0, $elh9A$unicodeproperties.isMark));
    }
    set isMark(v) {
        this._isMark = v;
    }
`,
    file,
  );
  // The Arabic, Indic and Universal shapers' tries and state machines, inflated at load.
  let n = 0;
  src = src.replace(/^const (\$\w+\$var\$(?:trie|stateMachine)) = (new [^\n]*);$/gm, (_, name, expr) => {
    n++;
    return `const ${name} = __sheetgenLazy(() => ${expr});`;
  });
  if (n !== 5)
    throw new Error(
      `esbuild-pdfkit: expected 5 shaper tables in ${file}, found ${n}; review scripts/esbuild-pdfkit.mjs`,
    );
  return src;
}

function patchNobleCrypto(src, file) {
  // pdfkit takes only bytesToHex from @noble/hashes/utils, which loads node:crypto (and its webcrypto,
  // ~13 ms) at start-up for randomBytes; read it on first use instead (encryption only).
  return swap(
    src,
    `const nc = require("node:crypto");
exports.crypto = nc && typeof nc === 'object' && 'webcrypto' in nc
    ? nc.webcrypto
    : nc && typeof nc === 'object' && 'randomBytes' in nc
        ? nc
        : undefined;`,
    `let crypto;
Object.defineProperty(exports, "crypto", { enumerable: true, get() {
    if (crypto !== undefined) return crypto;
    const nc = require("node:crypto");
    return (crypto = nc && typeof nc === 'object' && 'webcrypto' in nc
        ? nc.webcrypto
        : nc && typeof nc === 'object' && 'randomBytes' in nc
            ? nc
            : undefined);
} });`,
    file,
  );
}

export function pdfkitPlugin() {
  return {
    name: 'sheetgen-pdfkit',
    setup(build) {
      // The CommonJS builds, so that pdfkit and sheetgen's fonts.ts share one fontkit (and its lazy requires stay lazy).
      build.onResolve({ filter: /^(pdfkit|fontkit)$/ }, (args) => ({ path: require.resolve(args.path) }));
      build.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit\.js$/ }, async (args) => ({
        contents: patchPdfkit(await readFile(args.path, 'utf8'), args.path),
        loader: 'js',
      }));
      build.onLoad({ filter: /[\\/]fontkit[\\/]dist[\\/]main\.cjs$/ }, async (args) => ({
        contents: patchFontkit(await readFile(args.path, 'utf8'), args.path),
        loader: 'js',
      }));
      build.onLoad({ filter: /[\\/]@noble[\\/]hashes[\\/]cryptoNode\.js$/ }, async (args) => ({
        contents: patchNobleCrypto(await readFile(args.path, 'utf8'), args.path),
        loader: 'js',
      }));
    },
  };
}
