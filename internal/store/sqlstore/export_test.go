package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"strings"
)

// OpenWithFixtures opens dsn like Open, but after each migration loads the
// fixture testdata/migratest/<dialect>/<migration file name>, when there is
// one, in the migration's transaction, in the manner of hydra's migratest:
// data written by an old schema must survive every later migration.
func OpenWithFixtures(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn, loadFixture(postgresDialect))
	}
	return openSQLite(ctx, dsn, loadFixture(sqliteDialect))
}

func loadFixture(d *dialect) func(context.Context, *sql.Tx, migration) error {
	return func(ctx context.Context, tx *sql.Tx, m migration) error {
		text, err := os.ReadFile("testdata/migratest/" + d.name + "/" + m.name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, string(text))
		return err
	}
}
