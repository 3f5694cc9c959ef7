// Statements every `/owner` lookup runs, prepared once per connection on PostgreSQL. Unprepared, the
// server plans each statement again on every lookup: measured at 1M accounts, planning was 0.6–0.9 ms
// of the card statement's 1.2 ms on the server. Only statements registered here are named: a name
// stays on its connection for the connection's life, so a statement whose text varied (values written
// into it) would leave a new one behind each time. Embedded (PGlite) nothing is named.
//
// A pooler in transaction mode (PgBouncer without max_prepared_statements) does not keep a
// connection's prepared statements between transactions: `?pgbouncer=true` on DATABASE_URL, Prisma's
// own switch for this, turns naming off (see openPostgres).

const names = new Map<string, string>();

/**
 * Registers `sql` as a statement to prepare and returns it unchanged. Only for text built from
 * constants, never with values written into it: each distinct text is prepared on every connection.
 */
export function prepared(sql: string): string {
  if (!names.has(sql)) names.set(sql, `turf_${names.size + 1}`);
  return sql;
}

/**
 * The prepared statement's name for `sql`, or "" for every other statement. pg runs a statement
 * with an empty name as the unnamed one, planned each time, which is what it does without a name.
 */
export function preparedName(sql: string): string {
  return names.get(sql) ?? "";
}
