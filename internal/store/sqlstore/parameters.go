package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cognatehq/cognate/internal/store"
)

// PutParameter writes a new version of a parameter, as store.Store
// documents. The parameter's row is locked (inserted first when the name is
// new) before fn sees the newest version, so concurrent puts of one name
// run one after another on both backends.
func (s *Store) PutParameter(ctx context.Context, region, name string, keep int, fn func(newest, oldest *store.Parameter) (store.Parameter, error)) error {
	op := fmt.Sprintf("put parameter %q in region %q", name, region)
	if region == "" {
		return errEmptyKey(op, "Region")
	}
	if name == "" {
		return errEmptyKey(op, "Name")
	}
	q := s.q.params
	return s.writeAtomic(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, q.insertIfAbsent, region, name, parentOf(name)); err != nil {
			return s.mapErr(err, op, "", "")
		}
		var current int64
		if err := tx.QueryRowContext(ctx, q.lockParam, region, name).Scan(&current); err != nil {
			return fmt.Errorf("sqlstore: %s: lock: %w", op, err)
		}
		var newest, oldest *store.Parameter
		if current > 0 {
			n, err := scanParameter(tx.QueryRowContext(ctx, q.getVersion, region, name, current))
			if err != nil {
				return fmt.Errorf("sqlstore: %s: read version %d: %w", op, current, err)
			}
			o, err := scanParameter(tx.QueryRowContext(ctx, q.getOldest, region, name))
			if err != nil {
				return fmt.Errorf("sqlstore: %s: read oldest version: %w", op, err)
			}
			newest, oldest = &n, &o
		}
		p, err := fn(newest, oldest)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "Region", region, p.Region); err != nil {
			return err
		}
		if err := keyChanged(op, "Name", name, p.Name); err != nil {
			return err
		}
		if p.Version != current+1 {
			return fmt.Errorf("sqlstore: %s: the new version is %d; it must be %d, one more than the newest", op, p.Version, current+1)
		}
		tags, err := encodeTags(p.Tags)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, q.insertVersion, s.paramArgs(p)...); err != nil {
			return s.mapErr(err, op, "the version already exists", "")
		}
		if _, err := tx.ExecContext(ctx, q.updateParam, region, name, p.Version, tags); err != nil {
			return s.mapErr(err, op, "", "")
		}
		if keep > 0 && p.Version > int64(keep) {
			if _, err := tx.ExecContext(ctx, q.pruneVersions, region, name, p.Version-int64(keep)); err != nil {
				return s.mapErr(err, op, "", "")
			}
		}
		return nil
	})
}

// GetParameter returns the newest version of a parameter, or an
// ErrNotFound.
func (s *Store) GetParameter(ctx context.Context, region, name string) (store.Parameter, error) {
	p, err := scanParameter(s.queryRow(ctx, s.q.params.getNewest, region, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Parameter{}, notFound(fmt.Sprintf("parameter %q in region %q", name, region))
	}
	if err != nil {
		return store.Parameter{}, fmt.Errorf("sqlstore: get parameter %q in region %q: %w", name, region, err)
	}
	return p, nil
}

// GetParameterVersion returns one version of a parameter, or an
// ErrNotFound.
func (s *Store) GetParameterVersion(ctx context.Context, region, name string, version int64) (store.Parameter, error) {
	p, err := scanParameter(s.queryRow(ctx, s.q.params.getVersion, region, name, version))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Parameter{}, notFound(fmt.Sprintf("version %d of parameter %q in region %q", version, name, region))
	}
	if err != nil {
		return store.Parameter{}, fmt.Errorf("sqlstore: get version %d of parameter %q in region %q: %w", version, name, region, err)
	}
	return p, nil
}

// GetParameterByLabel returns the version of a parameter that carries
// label, or an ErrNotFound.
func (s *Store) GetParameterByLabel(ctx context.Context, region, name, label string) (store.Parameter, error) {
	p, err := scanParameter(s.queryRow(ctx, s.q.params.getByLabel, region, name, label))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Parameter{}, notFound(fmt.Sprintf("label %q of parameter %q in region %q", label, name, region))
	}
	if err != nil {
		return store.Parameter{}, fmt.Errorf("sqlstore: get label %q of parameter %q in region %q: %w", label, name, region, err)
	}
	return p, nil
}

// ListParameters returns one page of the newest versions of the region's
// parameters that sel selects, ordered by name. A hierarchy level (Children)
// is read through the parent index; a prefix through the primary key, between
// the prefix and the least string above every name that begins with it.
func (s *Store) ListParameters(ctx context.Context, region string, sel store.ParameterSelection, page store.Page) ([]store.Parameter, error) {
	q := s.q.params
	var rows *sql.Rows
	var err error
	switch upper, bounded := prefixUpperBound(sel.Prefix); {
	case sel.Children:
		rows, err = s.query(ctx, q.listChildren, region, page.After, sel.Prefix, limitArg(page))
	case bounded:
		rows, err = s.query(ctx, q.listPrefixBounded, region, page.After, sel.Prefix,
			utf8.RuneCountInString(sel.Prefix), limitArg(page), upper)
	default:
		rows, err = s.query(ctx, q.listPrefix, region, page.After, sel.Prefix,
			utf8.RuneCountInString(sel.Prefix), limitArg(page))
	}
	if err == nil {
		var out []store.Parameter
		if out, err = collect(rows, scanParameter); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list parameters under %q in region %q: %w", sel.Prefix, region, err)
}

// ListParameterVersions returns a page of a parameter's versions, oldest
// first, or an ErrNotFound when the parameter does not exist.
func (s *Store) ListParameterVersions(ctx context.Context, region, name string, after int64, limit int) ([]store.Parameter, error) {
	what := fmt.Sprintf("parameter %q in region %q", name, region)
	rows, err := s.query(ctx, s.q.params.listVersions, region, name, after, limitArg(store.Page{Limit: limit}))
	var out []store.Parameter
	if err == nil {
		out, err = collect(rows, scanParameter)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list versions of %s: %w", what, err)
	}
	if len(out) == 0 {
		if err := s.mustExist(ctx, what, s.q.params.exists, region, name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeleteParameter deletes a parameter, its versions and its labels; a
// missing one is an ErrNotFound.
func (s *Store) DeleteParameter(ctx context.Context, region, name string) error {
	what := fmt.Sprintf("parameter %q in region %q", name, region)
	op := "delete " + what
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, what, s.q.params.deleteParam, region, name)
	})
}

// LabelParameterVersion attaches labels to one version of a parameter,
// moving those another version carries.
func (s *Store) LabelParameterVersion(ctx context.Context, region, name string, version int64, labels []string) error {
	what := fmt.Sprintf("version %d of parameter %q in region %q", version, name, region)
	op := "label " + what
	q := s.q.params
	return s.writeAtomic(ctx, op, func(tx *sql.Tx) error {
		if err := s.existsIn(ctx, tx, what, q.versionExists, region, name, version); err != nil {
			return err
		}
		for _, l := range labels {
			if _, err := tx.ExecContext(ctx, q.upsertLabel, region, name, l, version); err != nil {
				return s.mapErr(err, op, "", what+" does not exist")
			}
		}
		return nil
	})
}

// UnlabelParameterVersion detaches labels from one version of a parameter
// and returns those that were attached to it.
func (s *Store) UnlabelParameterVersion(ctx context.Context, region, name string, version int64, labels []string) ([]string, error) {
	what := fmt.Sprintf("version %d of parameter %q in region %q", version, name, region)
	op := "unlabel " + what
	q := s.q.params
	var removed []string
	err := s.writeAtomic(ctx, op, func(tx *sql.Tx) error {
		removed = nil // the function may run again after a retry
		if err := s.existsIn(ctx, tx, what, q.versionExists, region, name, version); err != nil {
			return err
		}
		for _, l := range labels {
			res, err := tx.ExecContext(ctx, q.deleteLabel, region, name, l, version)
			if err != nil {
				return s.mapErr(err, op, "", "")
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("sqlstore: %s: %w", op, err)
			} else if n > 0 {
				removed = append(removed, l)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return removed, nil
}

// writeAtomic runs fn like write, but on a transaction-bound Store always
// under a savepoint, on SQLite too: PutParameter's first statement inserts
// a placeholder row that must not outlive a failed fn, even when the
// caller's transaction goes on and commits.
func (s *Store) writeAtomic(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.tx == nil {
		return s.runTx(ctx, op, nil, fn)
	}
	return s.underSavepoint(ctx, func() error { return fn(s.tx) })
}

// mustExist returns an ErrNotFound naming what unless query finds a row.
func (s *Store) mustExist(ctx context.Context, what, query string, args ...any) error {
	var one int
	err := s.queryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", what, err)
	}
	return nil
}

// existsIn is mustExist inside the transaction tx.
func (s *Store) existsIn(ctx context.Context, tx *sql.Tx, what, query string, args ...any) error {
	var one int
	err := tx.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", what, err)
	}
	return nil
}

// paramArgs returns the arguments of insertVersion.
func (s *Store) paramArgs(p store.Parameter) []any {
	return []any{p.Region, p.Name, p.Version, p.Type, blobArg(p.Value), p.Description, p.AllowedPattern,
		p.KeyID, p.Tier, p.DataType, s.d.timeArg(p.ModifiedAt)}
}

func scanParameter(r rowScanner) (store.Parameter, error) {
	var (
		p      store.Parameter
		labels sql.NullString
		tags   string
	)
	err := r.Scan(&p.Region, &p.Name, &p.Version, &p.Type, blobCol{&p.Value}, &p.Description, &p.AllowedPattern,
		&p.KeyID, &p.Tier, &p.DataType, timeCol{&p.ModifiedAt}, &labels, &tags)
	if err != nil {
		return p, err
	}
	if labels.Valid && labels.String != "" {
		p.Labels = strings.Split(labels.String, string(rune(labelSep)))
		slices.Sort(p.Labels)
	}
	p.Tags, err = decodeTags(tags)
	return p, err
}

// parentOf returns the hierarchy level a name belongs to: the name up to
// and including its last "/", or "" for a name without one.
func parentOf(name string) string {
	return name[:strings.LastIndexByte(name, '/')+1]
}

// prefixUpperBound returns the least string greater than every string that
// begins with prefix, as far as one can be written as valid UTF-8 text: the
// prefix cut after its last byte below 0x7f, with that byte incremented.
// When prefix ends in other characters the bound is looser, and the exact
// prefix test of the query does the rest. ok is false when there is no
// bound (an empty prefix, or no such byte).
func prefixUpperBound(prefix string) (upper string, ok bool) {
	for i := len(prefix) - 1; i >= 0; i-- {
		if c := prefix[i]; c < 0x7f {
			return prefix[:i] + string(rune(c+1)), true
		}
	}
	return "", false
}

// encodeTags returns the JSON text stored for tags: null for a nil map, an
// object otherwise (keys sorted, as encoding/json writes maps).
func encodeTags(tags map[string]string) (string, error) {
	b, err := json.Marshal(tags)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode tags: %w", err)
	}
	return string(b), nil
}

// decodeTags is the inverse of encodeTags.
func decodeTags(text string) (map[string]string, error) {
	var tags map[string]string
	if err := json.Unmarshal([]byte(text), &tags); err != nil {
		return nil, fmt.Errorf("sqlstore: decode tags %q: %w", text, err)
	}
	return tags, nil
}
