package sqlstore

import "strings"

// queries holds the text of every statement, built once per dialect from
// the same SQL with the dialect's placeholders. Arguments are numbered in
// the order of the column lists below.
type queries struct {
	insertPool, getPool, getPoolForUpdate, listPools, updatePool, deletePool string

	insertDomain, getDomain, getDomainForUpdate, listDomainsByPool, updateDomain, deleteDomain string

	insertRS, getRS, getRSForUpdate, listRS, countRS, updateRS, deleteRS string

	insertClient, getClient, getClientForUpdate, listClients, countClients, updateClient, deleteClient string

	insertKey, listKeys, retireKeys, deleteRetiredKeys string

	getMeta, insertMetaIfAbsent string

	grantContext string

	verifyContext string // verify.go

	params *paramQueries

	stacks *stackQueries
}

// Column lists, in the order the scan functions read them.
const (
	poolCols   = "id, region, name, settings, created_at, updated_at"
	domainCols = "domain, pool_id, custom, settings, created_at"
	rsCols     = "pool_id, identifier, name, scopes, created_at, updated_at"
	clientCols = "id, pool_id, name, secret_sealed, settings, created_at, updated_at"
	keyCols    = "pool_id, kid, key_use, algorithm, public_jwk, private_sealed, created_at, retire_at"
)

// Separators of the resource servers aggregated into a grant context:
// identifier, unit separator, scopes JSON; records joined by the record
// separator. Neither can occur in an identifier (printable ASCII only
// [model]) or in JSON text (which escapes control characters).
const (
	recordSep   = 30
	unitSepCode = 31
)

func unitSep(d *dialect) string {
	if d.name == "postgres" {
		return "chr(31)"
	}
	return "char(31)"
}

func newQueries(d *dialect) *queries {
	a := d.arg
	return &queries{
		insertPool:       "INSERT INTO pools (" + poolCols + ") VALUES (" + args(d, 6) + ")",
		getPool:          "SELECT " + poolCols + " FROM pools WHERE id = " + a(1),
		getPoolForUpdate: "SELECT " + poolCols + " FROM pools WHERE id = " + a(1) + d.forUpdate,
		listPools: "SELECT " + poolCols + " FROM pools WHERE region = " + a(1) + " AND id > " + a(2) +
			" ORDER BY id LIMIT " + a(3),
		updatePool: "UPDATE pools SET region = " + a(2) + ", name = " + a(3) + ", settings = " + a(4) +
			", created_at = " + a(5) + ", updated_at = " + a(6) + " WHERE id = " + a(1),
		deletePool: "DELETE FROM pools WHERE id = " + a(1),

		insertDomain:       "INSERT INTO domains (" + domainCols + ") VALUES (" + args(d, 5) + ")",
		getDomain:          "SELECT " + domainCols + " FROM domains WHERE domain = " + a(1),
		getDomainForUpdate: "SELECT " + domainCols + " FROM domains WHERE domain = " + a(1) + d.forUpdate,
		listDomainsByPool:  "SELECT " + domainCols + " FROM domains WHERE pool_id = " + a(1) + " ORDER BY custom, domain",
		updateDomain: "UPDATE domains SET custom = " + a(3) + ", settings = " + a(4) + ", created_at = " + a(5) +
			" WHERE domain = " + a(1) + " AND pool_id = " + a(2),
		deleteDomain: "DELETE FROM domains WHERE domain = " + a(1),

		insertRS: "INSERT INTO resource_servers (" + rsCols + ") VALUES (" + args(d, 6) + ")",
		getRS:    "SELECT " + rsCols + " FROM resource_servers WHERE pool_id = " + a(1) + " AND identifier = " + a(2),
		getRSForUpdate: "SELECT " + rsCols + " FROM resource_servers WHERE pool_id = " + a(1) +
			" AND identifier = " + a(2) + d.forUpdate,
		listRS: "SELECT " + rsCols + " FROM resource_servers WHERE pool_id = " + a(1) + " AND identifier > " + a(2) +
			" ORDER BY identifier LIMIT " + a(3),
		countRS: "SELECT count(*) FROM resource_servers WHERE pool_id = " + a(1),
		updateRS: "UPDATE resource_servers SET name = " + a(3) + ", scopes = " + a(4) + ", created_at = " + a(5) +
			", updated_at = " + a(6) + " WHERE pool_id = " + a(1) + " AND identifier = " + a(2),
		deleteRS: "DELETE FROM resource_servers WHERE pool_id = " + a(1) + " AND identifier = " + a(2),

		insertClient:       "INSERT INTO clients (" + clientCols + ") VALUES (" + args(d, 7) + ")",
		getClient:          "SELECT " + clientCols + " FROM clients WHERE id = " + a(1),
		getClientForUpdate: "SELECT " + clientCols + " FROM clients WHERE id = " + a(1) + d.forUpdate,
		listClients: "SELECT " + clientCols + " FROM clients WHERE pool_id = " + a(1) + " AND id > " + a(2) +
			" ORDER BY id LIMIT " + a(3),
		countClients: "SELECT count(*) FROM clients WHERE pool_id = " + a(1),
		updateClient: "UPDATE clients SET name = " + a(3) + ", secret_sealed = " + a(4) + ", settings = " + a(5) +
			", created_at = " + a(6) + ", updated_at = " + a(7) + " WHERE id = " + a(1) + " AND pool_id = " + a(2),
		deleteClient: "DELETE FROM clients WHERE id = " + a(1),

		insertKey: "INSERT INTO signing_keys (" + keyCols + ") VALUES (" + args(d, 8) + ")",
		listKeys:  "SELECT " + keyCols + " FROM signing_keys WHERE pool_id = " + a(1) + " ORDER BY created_at DESC, kid",
		grantContext: "SELECT c.id, c.pool_id, c.name, c.secret_sealed, c.settings, c.created_at, c.updated_at, " +
			"(SELECT d.pool_id FROM domains d WHERE d.domain = " + a(2) + "), " +
			"(SELECT " + d.joinText("r.identifier || "+unitSep(d)+" || r.scopes", recordSep) + " FROM resource_servers r WHERE r.pool_id = c.pool_id), " +
			"k.pool_id, k.kid, k.key_use, k.algorithm, k.public_jwk, k.private_sealed, k.created_at, k.retire_at " +
			"FROM clients c LEFT JOIN signing_keys k ON k.kid = (SELECT kid FROM signing_keys WHERE pool_id = c.pool_id AND key_use = " + a(3) +
			" AND retire_at IS NULL ORDER BY created_at DESC, kid LIMIT 1) WHERE c.id = " + a(1),
		retireKeys: "UPDATE signing_keys SET retire_at = " + a(4) + " WHERE pool_id = " + a(1) +
			" AND key_use = " + a(2) + " AND kid <> " + a(3) + " AND retire_at IS NULL",
		deleteRetiredKeys: "DELETE FROM signing_keys WHERE retire_at IS NOT NULL AND retire_at < " + a(1),

		getMeta:            "SELECT value FROM meta WHERE name = " + a(1),
		insertMetaIfAbsent: "INSERT INTO meta (name, value) VALUES (" + a(1) + ", " + a(2) + ") ON CONFLICT (name) DO NOTHING",

		verifyContext: verifyContextQuery(d),

		params: newParamQueries(d),
		stacks: newStackQueries(d),
	}
}

// args returns the placeholders of arguments 1 to n, comma-separated.
func args(d *dialect, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = d.arg(i + 1)
	}
	return strings.Join(p, ", ")
}
