//! The grader's public surface: grade indicators and sheets, load grading schemes.

export { gradeIndicator, gradeSheet } from './grade.js';
export {
  BUILTIN_SCHEMES,
  DEFAULT_SCHEME,
  checkScheme,
  legendGrades,
  loadScheme,
  parseScheme,
  schemeInfo,
  type Band,
  type GradingScheme,
} from './scheme.js';
