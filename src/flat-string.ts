/**
 * `text` as one flat string. Strings built by concatenation or by JSON.stringify are, in V8, trees of
 * pieces (a 141-character group key: six pieces, about 275 bytes of heap; flat, about 180); a string
 * kept for the whole run is worth flattening once. Converting a string to a number flattens it in place
 * (it has to read it whole), which is the one way JavaScript can ask for that; the number is not used.
 * Flattened when kept, a key is also not flattened later, in the findings phase, when sorting compares
 * it: that made the flat copies there, and the old generation kept them.
 */
export function flatString(text: string): string {
  void Number(text);
  return text;
}
