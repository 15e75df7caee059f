// A bar chart drawn with CSS (no chart library), for figures people would rather see than
// read: caseload against the cap, hours delivered against granted, hours since a phone was
// last heard from. Every bar carries its figure as text, and a state beyond colour (a mark
// and words: "fullt", "över"), and the same figures are one tap away as a table ("Visa som
// tabell"), so nothing depends on seeing colour or shape.
//
// rows: [{key, label, value, max, text, tone: 'ok' | 'warn' | 'bad' | undefined, mark?}]
// `limit`: a line across every bar at this value (a cap, a threshold), with its label.
// table: {caption, columns: [label…], rows: [[cell…]…]} for the table alternative.
import t from '../../strings/sv/supervision.js';

const percent = (value, scale) => `${Math.max(0, Math.min(100, (value / (scale || 1)) * 100))}%`;

/** `quietTitle`: the section's heading already says it (the caption stays for screen readers). */
export function BarChart({ title, id, rows, scale, limit, table, quietTitle = false }) {
  const top = scale ?? Math.max(1, ...rows.map((r) => Math.max(r.value, r.max ?? 0)), limit?.value ?? 0);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class={quietTitle ? 'visually-hidden' : 'chart-title'}>
        {title}
      </figcaption>
      <ul class="bars">
        {rows.map((row) => (
          <li key={row.key} class={`bar-row tone-${row.tone || 'plain'}`}>
            <span class="bar-label">{row.label}</span>
            <span class="bar-track" aria-hidden="true">
              {row.max != null && <span class="bar-max" style={{ width: percent(row.max, top) }} />}
              <span class="bar-fill" style={{ width: percent(row.value, top) }} />
              {limit && <span class="bar-limit" style={{ left: percent(limit.value, top) }} />}
            </span>
            <span class="bar-text">
              {row.mark && (
                <span class="bar-mark" aria-hidden="true">
                  {row.mark}{' '}
                </span>
              )}
              {row.text}
            </span>
          </li>
        ))}
      </ul>
      {limit && <p class="hint chart-legend">{limit.label}</p>}
      {table && (
        <details class="chart-table">
          <summary>{t.tableView}</summary>
          <DataTable {...table} />
        </details>
      )}
    </figure>
  );
}

/** A plain table of figures; on a narrow screen it scrolls sideways inside its frame (a
 * region one can focus and scroll with the keyboard). */
export function DataTable({ caption, columns, rows, foot, numeric = [] }) {
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th scope="col" class={numeric.includes(i) ? 'num' : undefined}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {row.map((cell, i) =>
                i === 0 ? (
                  <th scope="row">{cell}</th>
                ) : (
                  <td class={numeric.includes(i) ? 'num' : undefined}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {foot && (
          <tfoot>
            <tr>
              {foot.map((cell, i) =>
                i === 0 ? (
                  <th scope="row">{cell}</th>
                ) : (
                  <td class={numeric.includes(i) ? 'num' : undefined}>{cell}</td>
                ),
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
