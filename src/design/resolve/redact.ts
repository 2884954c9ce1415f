/**
 * Masks what a design_ref may carry as a secret before it appears in a
 * message or log: the user-info of the authority (user:password@, or a token
 * used as the user name) and query values whose names look like credentials
 * (signed URLs). Drydock logged refs as given.
 */
const SECRET_PARAM = /token|sig|secret|passw|key|credential|auth/i;

export function redactRef(ref: string): string {
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    // Unparseable: the user-info cannot be located reliably, so show the scheme only.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(ref)?.[1];
    return ref.includes('@') || ref.includes('?') ? `${scheme ?? '(no scheme)'}:…` : ref;
  }
  const hadUserInfo = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  for (const name of new Set(url.searchParams.keys())) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  const text = url.toString();
  return hadUserInfo ? text.replace('://', '://***@') : text;
}
