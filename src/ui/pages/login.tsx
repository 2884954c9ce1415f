/** @jsxImportSource hono/jsx */
import { CsrfField, Layout } from './layout.tsx';
import { UI } from '../paths.ts';

export interface LoginProps {
  csrf: string;
  next: string;
  keystone: boolean;
  error?: string | null;
}

/** Sign-in with a token, and with Keystone credentials when the server validates Keystone tokens. */
export function LoginPage(props: LoginProps) {
  return (
    <Layout title="Sign in">
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <form method="post" action={`${UI}/login`} class="card">
        <h2>With a token</h2>
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          Token (as sent in X-Auth-Token)
          <input type="password" name="token" autocomplete="off" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {props.keystone ? (
        <form method="post" action={`${UI}/login/keystone`} class="card">
          <h2>With Keystone credentials</h2>
          <CsrfField csrf={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            User name
            <input type="text" name="username" autocomplete="username" required />
          </label>
          <label>
            Password
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <label>
            Project
            <input type="text" name="project" required />
          </label>
          <label>
            Domain
            <input type="text" name="domain" value="Default" />
          </label>
          <button type="submit">Sign in</button>
        </form>
      ) : null}
    </Layout>
  );
}
