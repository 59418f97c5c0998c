package sqlstore

// paramQueries holds the statements of the SSM parameter methods, built once
// per dialect like queries. Reads of a version join its parameter (for the
// tags) and aggregate its labels, so that every read returns whole records
// in one statement.
type paramQueries struct {
	// Reads of versions, all returning paramCols.
	getNewest, getVersion, getByLabel, getOldest, listVersions string
	// Listings of newest versions: under a prefix, bounded above or not,
	// and the direct children of a hierarchy level.
	listPrefix, listPrefixBounded, listChildren string

	exists, versionExists string

	// The write path of PutParameter.
	insertIfAbsent, lockParam, insertVersion, updateParam, pruneVersions string

	deleteParam string

	upsertLabel, deleteLabel string
}

// paramCols are the columns scanParameter reads, in its order, over
// parameter_versions v joined to parameters p.
const paramColsPlain = "v.region, v.name, v.version, v.type, v.value, v.description, v.allowed_pattern, " +
	"v.key_id, v.tier, v.data_type, v.modified_at"

// versionCols are the columns of parameter_versions, in the order of
// paramArgs.
const versionCols = "region, name, version, type, value, description, allowed_pattern, key_id, tier, data_type, modified_at"

// labelSep separates the labels aggregated into one column. Labels are
// printable text (SSM allows letters, digits, ".", "-" and "_"), so a
// control character never occurs in one.
const labelSep = 31

func newParamQueries(d *dialect) *paramQueries {
	a := d.arg
	// Labels of the version v, joined into one text value (NULL when none),
	// then the parameter's tags.
	cols := paramColsPlain + ", (SELECT " + d.joinText("l.label", labelSep) +
		" FROM parameter_labels l WHERE l.region = v.region AND l.name = v.name AND l.version = v.version), p.tags"
	from := " FROM parameter_versions v JOIN parameters p ON p.region = v.region AND p.name = v.name"
	newest := from + " AND v.version = p.version"
	return &paramQueries{
		getNewest:  "SELECT " + cols + newest + " WHERE p.region = " + a(1) + " AND p.name = " + a(2),
		getVersion: "SELECT " + cols + from + " WHERE v.region = " + a(1) + " AND v.name = " + a(2) + " AND v.version = " + a(3),
		getByLabel: "SELECT " + cols + from + " JOIN parameter_labels b ON b.region = v.region AND b.name = v.name AND b.version = v.version" +
			" WHERE b.region = " + a(1) + " AND b.name = " + a(2) + " AND b.label = " + a(3),
		getOldest: "SELECT " + cols + from + " WHERE v.region = " + a(1) + " AND v.name = " + a(2) + " ORDER BY v.version LIMIT 1",
		listVersions: "SELECT " + cols + from + " WHERE v.region = " + a(1) + " AND v.name = " + a(2) + " AND v.version > " + a(3) +
			" ORDER BY v.version LIMIT " + a(4),

		// The prefix test is substr(name, 1, length) = prefix; the range
		// conditions before it let the primary key index find the rows.
		listPrefix: "SELECT " + cols + newest + " WHERE p.region = " + a(1) + " AND p.name > " + a(2) +
			" AND p.name >= " + a(3) + " AND substr(p.name, 1, " + a(4) + ") = " + a(3) +
			" ORDER BY p.name LIMIT " + a(5),
		listPrefixBounded: "SELECT " + cols + newest + " WHERE p.region = " + a(1) + " AND p.name > " + a(2) +
			" AND p.name >= " + a(3) + " AND p.name < " + a(6) + " AND substr(p.name, 1, " + a(4) + ") = " + a(3) +
			" ORDER BY p.name LIMIT " + a(5),
		listChildren: "SELECT " + cols + newest + " WHERE p.region = " + a(1) + " AND p.parent = " + a(3) +
			" AND p.name > " + a(2) + " ORDER BY p.name LIMIT " + a(4),

		exists:        "SELECT 1 FROM parameters WHERE region = " + a(1) + " AND name = " + a(2),
		versionExists: "SELECT 1 FROM parameter_versions WHERE region = " + a(1) + " AND name = " + a(2) + " AND version = " + a(3),

		// A new parameter's row is inserted with version 0 before it is
		// locked, so that concurrent puts of a new name queue on one row
		// like puts of an existing one; the row gets its real version in
		// the same transaction, so no reader ever sees version 0.
		insertIfAbsent: "INSERT INTO parameters (region, name, parent, version, tags) VALUES (" + a(1) + ", " + a(2) + ", " + a(3) +
			", 0, 'null') ON CONFLICT (region, name) DO NOTHING",
		lockParam:     "SELECT version FROM parameters WHERE region = " + a(1) + " AND name = " + a(2) + d.forUpdate,
		insertVersion: "INSERT INTO parameter_versions (" + versionCols + ") VALUES (" + args(d, 11) + ")",
		updateParam:   "UPDATE parameters SET version = " + a(3) + ", tags = " + a(4) + " WHERE region = " + a(1) + " AND name = " + a(2),
		pruneVersions: "DELETE FROM parameter_versions WHERE region = " + a(1) + " AND name = " + a(2) + " AND version <= " + a(3),

		deleteParam: "DELETE FROM parameters WHERE region = " + a(1) + " AND name = " + a(2),

		upsertLabel: "INSERT INTO parameter_labels (region, name, label, version) VALUES (" + args(d, 4) +
			") ON CONFLICT (region, name, label) DO UPDATE SET version = excluded.version",
		deleteLabel: "DELETE FROM parameter_labels WHERE region = " + a(1) + " AND name = " + a(2) +
			" AND label = " + a(3) + " AND version = " + a(4),
	}
}

// reads returns the statements the root Store runs outside transactions,
// for prepareReads.
func (q *paramQueries) reads() []string {
	return []string{q.getNewest, q.getVersion, q.getByLabel, q.listVersions,
		q.listPrefix, q.listPrefixBounded, q.listChildren, q.exists, q.versionExists}
}
