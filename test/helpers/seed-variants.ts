//! Variants of the seed sheet for batch tests.

/**
 * The seed as another sheet of the same measure (so the same PDF name, 2020-09.pdf): its KPIs and
 * its committee opinion renumbered, with the marks of ② that name the KPIs, so that it validates
 * beside the seed and its PDF differs from the seed's.
 */
export function sameMeasureOtherNumbers(seed: string): string {
  return seed
    .replace('number: 15', 'number: 95')
    .replace('number: 16', 'number: 96')
    .replace('number: 35', 'number: 45')
    .replace(/ＫＰＩ1([56])【/gu, 'ＫＰＩ9$1【');
}
