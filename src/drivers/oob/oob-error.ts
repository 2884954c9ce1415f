/**
 * A BMC call that cannot go on: the message says what happened in words an
 * operator acts on (what the BMC answered, which setting to change). It never
 * holds the credential; failureOf also masks it, in case a BMC echoes it.
 */
export class OobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OobError';
  }
}
