//! Which file names Windows refuses or treats as devices: the rule that names sheetgen makes from
//! data (PDF names) and names a sheet gives (`grading:` files) must pass on every PC it runs on.

// The rules are Microsoft's, "Naming Files, Paths, and Namespaces" (learn.microsoft.com, Win32 file
// I/O): reserved device names (also followed by an extension: NUL.txt is NUL), the characters
// < > : " / \ | ? * and 0–31, no trailing dot or space, at most 255 characters per component.

/** CON, PRN, AUX, NUL, COM0–9, LPT0–9 (also with the superscript digits ¹²³ Windows accepts there). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const FORBIDDEN_CHARS = /[<>:"/\\|?*\u0000-\u001f]/;

export type NameProblem = 'empty' | 'dot-name' | 'reserved' | 'character' | 'trailing' | 'too-long';

/**
 * Why Windows would refuse `name` as one component of a path (or open a device instead of a file),
 * or undefined when it is a portable file name. `.` and `..` are not names of files.
 */
export function windowsNameProblem(name: string): NameProblem | undefined {
  if (name === '') return 'empty';
  if (name === '.' || name === '..') return 'dot-name';
  if (FORBIDDEN_CHARS.test(name)) return 'character';
  if (/[. ]$/.test(name)) return 'trailing';
  // The device is matched on the part before the first dot, trailing spaces ignored ("NUL .txt" is NUL too).
  if (RESERVED.test(name.split('.')[0]!.trimEnd())) return 'reserved';
  if (name.length > 255) return 'too-long';
  return undefined;
}
