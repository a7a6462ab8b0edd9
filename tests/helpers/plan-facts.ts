/** The fifteen KR codes of the bundled Thriving Movement plan, in plan order. */
export const THRIVING_KR_CODES = [
  "I.KR1",
  "I.KR2",
  "II.KR1",
  "II.KR2",
  "II.KR3",
  "III.KR1",
  "III.KR2",
  "III.KR3",
  "III.KR4",
  "IV.KR1",
  "IV.KR2",
  "V.KR1",
  "V.KR2",
  "V.KR3",
  "V.KR4",
];
