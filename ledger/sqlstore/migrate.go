package sqlstore

import (
	"context"
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies, in name order and in one transaction, the embedded migrations the
// database has not seen yet. NNNN_name.sql applies to every engine and
// NNNN_name.ENGINE.sql (sqlite, postgres) to that engine only. Servers starting together
// on one PostgreSQL database take turns under an advisory lock.
func (s *db) migrate(ctx context.Context) error {
	names, err := s.migrationNames()
	if err != nil {
		return s.internal("listing migrations", err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.internal("migrating", err)
	}
	defer tx.Rollback()
	r := s.writer(ctx, tx)
	if s.d.migrateLockSQL != "" {
		if _, err := tx.ExecContext(ctx, s.d.migrateLockSQL); err != nil {
			return s.internal("migrating", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return s.internal("preparing migrations", err)
	}
	done, err := r.strings(`SELECT name FROM schema_migrations`)
	if err != nil {
		return s.internal("migrating", err)
	}
	for _, name := range names {
		if !contains(done, name) {
			if err := s.applyMigration(r, name); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return s.internal("migrating", err)
	}
	return nil
}

// migrationNames lists the migrations for the store's engine in the order they apply.
func (s *db) migrationNames() ([]string, error) {
	all, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, name := range all {
		base := strings.TrimSuffix(path.Base(name), ".sql")
		if i := strings.IndexByte(base, '.'); i >= 0 && base[i+1:] != s.d.name {
			continue
		}
		names = append(names, path.Base(name))
	}
	sort.Strings(names)
	return names, nil
}

func (s *db) applyMigration(r runner, name string) error {
	body, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return s.internal("migrating", err)
	}
	for _, stmt := range migrationStatements(string(body)) {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := r.tx.ExecContext(r.ctx, stmt); err != nil {
			return s.internal("applying "+name, err)
		}
	}
	if _, err := r.tx.ExecContext(r.ctx, s.d.bind(`INSERT INTO schema_migrations (name) VALUES (?)`), name); err != nil {
		return s.internal("migrating", err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// migrationStatements splits a migration into its statements at each ';', except the
// ones inside a $$-quoted function body (PostgreSQL) or inside a trigger's
// BEGIN ... END (SQLite), which belong to their statement.
func migrationStatements(body string) []string {
	var stmts []string
	var cur strings.Builder
	for _, part := range strings.SplitAfter(stripComments(body), ";") {
		cur.WriteString(part)
		stmt := strings.TrimSpace(cur.String())
		if strings.Count(stmt, "$$")%2 == 1 || openTrigger(strings.TrimSuffix(stmt, ";")) {
			continue
		}
		stmts = append(stmts, strings.TrimSuffix(stmt, ";"))
		cur.Reset()
	}
	return stmts
}

// openTrigger reports a SQLite CREATE TRIGGER whose BEGIN has no END yet.
func openTrigger(stmt string) bool {
	upper := strings.ToUpper(stmt)
	return strings.HasPrefix(upper, "CREATE TRIGGER") && strings.Contains(upper, "\nBEGIN") &&
		!strings.HasSuffix(strings.TrimSpace(upper), "END")
}

func stripComments(sql string) string {
	var b strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
