// Word-level differences, with the semantics of drafting/domain/diffing.py: a text is cut into
// words, runs of white space and single other characters; each distinct token becomes one
// character, diff-match-patch compares those and cleans the result semantically, so a change
// never splits a word. The page marks what the server would mark.
import DiffMatchPatch from "diff-match-patch";

const TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu;
const dmp = new DiffMatchPatch();
dmp.Diff_Timeout = 0.5;

// Code points for tokens: the Basic Multilingual Plane past Latin-1, skipping surrogates, so one
// token stays one UTF-16 unit (diff-match-patch counts units).
function codeChar(n) {
  const point = 0x100 + n;
  return String.fromCharCode(point < 0xd800 ? point : point + 0x800);
}

export function wordDiff(before, after) {
  if (before === after) return before ? [[0, before]] : [];
  const code = new Map();
  const tokens = [];
  const encode = (text) => {
    let out = "";
    for (const token of text.match(TOKEN) || []) {
      let char = code.get(token);
      if (char === undefined) {
        char = codeChar(tokens.length);
        code.set(token, char);
        tokens.push(token);
      }
      out += char;
    }
    return out;
  };
  const a = encode(before);
  const b = encode(after);
  const diffs = dmp.diff_main(a, b, false);
  dmp.diff_cleanupSemantic(diffs);
  const decode = (chars) => {
    let text = "";
    for (let i = 0; i < chars.length; i += 1) {
      const point = chars.charCodeAt(i);
      text += tokens[(point >= 0xe000 ? point - 0x800 : point) - 0x100];
    }
    return text;
  };
  return diffs.filter(([, chars]) => chars).map(([op, chars]) => [op, decode(chars)]);
}
