/**
 * fix25 (review25 L2): the database stores an e-mail domain in ASCII only (EMAIL.DOMAIN_NOT_ASCII). An international
 * or look-alike domain is sent as the browser's URL parser writes it (UTS46 / punycode: "x@مثال.ma" →
 * "x@xn--mgbh0fb.ma", full-width letters, a soft hyphen and zero-width marks folded: "x@ｇｍａｉｌ.com" →
 * "x@gmail.com"). A domain the parser refuses is sent as typed: the database answers with the coded error.
 */
export const asciiEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 0 || /^[A-Za-z0-9.-]*$/.test(domain)) return email;
  // fix25b (F5): the URL parser reads '/', '\\', '?', '#', ':' and '@' as the end of a host or as credentials, so
  // "x@evil.com/gmail.com" would become "x@evil.com": a typo silently turned into another address. Such a domain is
  // sent as typed and the database refuses it with its coded error.
  // (whitespace: any but U+FEFF, a zero-width mark the parser folds away like U+200B)
  if (/[/\\?#:@]|[^\S\ufeff]/.test(domain)) return email;
  try {
    const host = new URL(`http://${domain}`).hostname;
    return /^[a-z0-9.-]+$/.test(host) ? email.slice(0, at + 1) + host : email;
  } catch {
    return email;
  }
};
