/**
 * A LIKE pattern that matches `text` anywhere, case-folded to lower case (the columns it is used on are
 * stored in lower case), with LIKE's own characters taken literally.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
