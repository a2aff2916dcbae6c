/**
 * One mailbox, one spelling: a mail address trimmed, its letters in one Unicode form (NFC: `é`
 * typed as one character or as `e` and an accent), lower case, and its domain as DNS carries it
 * (punycode: `例子.中国` is `xn--fsqu00a.xn--fiqs8s`). Rate limits, follows and sign-ins that
 * count one address must not count each of its spellings. No I/O.
 */
export function mailboxForm(email: string): string {
  const text = email.trim().normalize("NFC").toLowerCase();
  const at = text.lastIndexOf("@");
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  let ascii = domain;
  try {
    ascii = new URL(`http://${domain}`).hostname;
  } catch {
    // Not a host a URL can hold: kept as written (the schemas refuse such addresses anyway).
  }
  return `${text.slice(0, at)}@${ascii}`;
}
