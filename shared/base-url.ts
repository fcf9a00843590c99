/**
 * A base URL with credentials in it (`http://user:pw@host/v1`) would be stored
 * and shown in plain text like any URL, so it is refused when a provider is
 * saved. The reason never repeats the URL: that would print the password.
 */
export const BASE_URL_CREDENTIALS_ERROR =
  'base URL must not contain a user name or password (user:password@host): reference the key with an environment variable instead';

/**
 * True when the URL's authority carries userinfo.
 * @example hasUrlCredentials('http://user:pw@host/v1') // true
 */
export function hasUrlCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url.trim());
}
