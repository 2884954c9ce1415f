/** @jsxImportSource hono/jsx */
import { Layout } from './layout.tsx';
import { UI } from '../paths.ts';

/** An error as a page: the message the API would have answered (never a stack or a secret). */
export function ErrorPage(props: { title: string; message: string; requestId?: string; user?: string | null; csrf?: string }) {
  return (
    <Layout title={props.title} user={props.user} csrf={props.csrf}>
      <p class="error" role="alert">{props.message}</p>
      {props.requestId ? <p class="muted">Request id {props.requestId}</p> : null}
      <p>
        <a href={`${UI}/tasks`}>Back to the tasks</a>
      </p>
    </Layout>
  );
}
