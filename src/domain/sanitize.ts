// C0/C1 control characters except tab and newline; zero-width space, word joiners and the BOM; and
// the bidi embedding, override and isolate controls that can make text display reversed or hide it.
// Zero-width (non-)joiners and left/right marks stay: emoji sequences, Persian and Indic scripts
// and right-to-left text need them.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

/** Strips control and zero-width characters and normalises to NFC; never stored, never shown. */
export function sanitize(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n").replace(INVISIBLE, "");
}
