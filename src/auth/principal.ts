/**
 * Who is calling, as the policy engine sees it. Mirrors the fields Drydock's
 * request context hands to oslo.policy (to_policy_view), plus how the caller
 * authenticated and whether it is a global admin (AUTH_MODE=none).
 */
export interface Principal {
  user: string | null;
  userId: string | null;
  userDomainId: string | null;
  projectId: string | null;
  projectDomainId: string | null;
  roles: string[];
  isAdminProject: boolean;
  isAdmin: boolean;
  method: 'keystone' | 'token' | 'none';
}

/** Validates a presented credential. null means "not valid" (answer 401). */
export interface Authenticator {
  readonly mode: 'keystone' | 'token' | 'none';
  /** Value for the WWW-Authenticate header on a 401. */
  readonly challenge: string;
  authenticate(token: string | null): Promise<Principal | null>;
}
