/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../session.ts';
import { STATIC, UI } from '../paths.ts';

export interface LayoutProps {
  title: string;
  /** The signed-in user (no navigation or sign-out without one). */
  user?: string | null;
  csrf?: string;
  /** Load app.js (live updates); every page works without it. */
  live?: boolean;
  children?: Child;
}

export function CsrfField(props: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.csrf} />;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Drydock</title>
        <link rel="stylesheet" href={`${STATIC}/app.css`} />
        {props.live ? <script src={`${STATIC}/app.js`} defer></script> : null}
      </head>
      <body>
        <header>
          <strong class="brand">Drydock</strong>
          {props.user !== undefined ? (
            <nav>
              <a href={`${UI}/tasks`}>Tasks</a>
              <a href={`${UI}/designs`}>Designs</a>
              <a href={`${UI}/nodes`}>Nodes</a>
            </nav>
          ) : null}
          {props.user !== undefined && props.csrf ? (
            <form method="post" action={`${UI}/logout`} class="signout">
              <span class="user">{props.user ?? 'anonymous'}</span>
              <CsrfField csrf={props.csrf} />
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function Status(props: { value: string | null | undefined }) {
  const value = props.value ?? 'unknown';
  return <span class={`status status-${value.replace(/[^a-z_]/gi, '')}`}>{value}</span>;
}
