/** @jsxImportSource hono/jsx */
import type { DesignSummary } from '../../services/designs.ts';
import type { DesignValidation } from '../../services/validation.ts';
import { UI } from '../paths.ts';
import { CsrfField, Layout } from './layout.tsx';

export interface ValidationResult {
  ref: string;
  report: DesignValidation;
}

/** POST /validatedesign's messages: each with its rule and the documents it concerns. */
export function ValidationReport(props: ValidationResult) {
  const { report } = props;
  return (
    <section id="validation">
      <h2>
        Validation of <span class="mono">{props.ref}</span>:{' '}
        <span class={report.valid ? 'status status-success' : 'status status-failure'}>{report.valid ? 'valid' : 'invalid'}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>Level</th>
            <th>Rule</th>
            <th>Documents</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {report.messages.map((m) => (
            <tr class={m.error ? 'msg-error' : ''}>
              <td>{m.level}</td>
              <td>{m.name}</td>
              <td class="mono">
                {m.documents.map((d) => (
                  <div>
                    {d.schema} {d.name}
                  </div>
                ))}
              </td>
              <td>
                {m.message}
                {m.diagnostic ? <div class="muted">{m.diagnostic}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.messages.length === 0 ? <p class="muted">No messages.</p> : null}
    </section>
  );
}

export interface DesignsPageProps {
  user: string | null;
  csrf: string;
  designs: DesignSummary[];
  validation?: ValidationResult | null;
}

/** Stored designs (never their documents: they can hold BMC passwords), upload and validation. */
export function DesignsPage(props: DesignsPageProps) {
  return (
    <Layout title="Designs" user={props.user} csrf={props.csrf}>
      {props.validation ? <ValidationReport {...props.validation} /> : null}
      <form method="post" action={`${UI}/designs`} enctype="multipart/form-data" class="card">
        <h2>Upload a design</h2>
        <CsrfField csrf={props.csrf} />
        <label>
          YAML (or JSON) file
          <input type="file" name="file" accept=".yaml,.yml,.json,application/x-yaml,application/json" />
        </label>
        <label>
          or paste the documents
          <textarea name="text"></textarea>
        </label>
        <button type="submit">Upload and validate</button>
      </form>
      <form method="post" action={`${UI}/designs/validate`} class="card">
        <h2>Validate a design ref</h2>
        <CsrfField csrf={props.csrf} />
        <label>
          Design ref
          <input type="text" name="ref" placeholder="design://… or deckhand+https://…" required />
        </label>
        <button type="submit">Validate</button>
      </form>
      <h2>Stored designs</h2>
      <table>
        <thead>
          <tr>
            <th>Ref</th>
            <th>Created</th>
            <th>By</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {props.designs.map((d) => (
            <tr>
              <td class="mono">design://{d.designId}</td>
              <td>{d.created.toISOString()}</td>
              <td>{d.createdBy ?? ''}</td>
              <td>{d.size} bytes</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
