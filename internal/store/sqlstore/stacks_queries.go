package sqlstore

// stackQueries holds the statements of the CloudFormation stack methods,
// built once per dialect like queries.
type stackQueries struct {
	insert, get, getByID, getForUpdate, list, listAll, update, delete string

	upsertResource, listResources, deleteResource string

	nextEventSeq, insertEvent, listEvents string

	deleteExports, insertExport, getExport string
}

const (
	stackCols    = "id, region, name, status, status_reason, template, document, operation, created_at, updated_at"
	stackResCols = "stack_id, logical_id, type, physical_id, status, properties, attributes, rollback, updated_at"
	stackEvCols  = "stack_id, seq, event_id, logical_id, physical_id, type, status, reason, created_at"
)

func newStackQueries(d *dialect) *stackQueries {
	a := d.arg
	return &stackQueries{
		insert:       "INSERT INTO stacks (" + stackCols + ") VALUES (" + args(d, 10) + ")",
		get:          "SELECT " + stackCols + " FROM stacks WHERE region = " + a(1) + " AND name = " + a(2),
		getByID:      "SELECT " + stackCols + " FROM stacks WHERE id = " + a(1),
		getForUpdate: "SELECT " + stackCols + " FROM stacks WHERE id = " + a(1) + d.forUpdate,
		list:         "SELECT " + stackCols + " FROM stacks WHERE region = " + a(1) + " ORDER BY region, name",
		listAll:      "SELECT " + stackCols + " FROM stacks ORDER BY region, name",
		update: "UPDATE stacks SET region = " + a(2) + ", name = " + a(3) + ", status = " + a(4) +
			", status_reason = " + a(5) + ", template = " + a(6) + ", document = " + a(7) + ", operation = " + a(8) +
			", created_at = " + a(9) + ", updated_at = " + a(10) + " WHERE id = " + a(1),
		delete: "DELETE FROM stacks WHERE id = " + a(1),

		upsertResource: "INSERT INTO stack_resources (" + stackResCols + ") VALUES (" + args(d, 9) + ")" +
			" ON CONFLICT (stack_id, logical_id) DO UPDATE SET type = excluded.type, physical_id = excluded.physical_id," +
			" status = excluded.status, properties = excluded.properties, attributes = excluded.attributes," +
			" rollback = excluded.rollback, updated_at = excluded.updated_at",
		listResources:  "SELECT " + stackResCols + " FROM stack_resources WHERE stack_id = " + a(1) + " ORDER BY logical_id",
		deleteResource: "DELETE FROM stack_resources WHERE stack_id = " + a(1) + " AND logical_id = " + a(2),

		nextEventSeq: "SELECT coalesce(max(seq), 0) + 1 FROM stack_events WHERE stack_id = " + a(1),
		insertEvent:  "INSERT INTO stack_events (" + stackEvCols + ") VALUES (" + args(d, 9) + ")",
		listEvents:   "SELECT " + stackEvCols + " FROM stack_events WHERE stack_id = " + a(1) + " ORDER BY seq",

		deleteExports: "DELETE FROM stack_exports WHERE stack_id = " + a(1),
		insertExport:  "INSERT INTO stack_exports (region, name, stack_id, value) VALUES (" + args(d, 4) + ")",
		getExport:     "SELECT region, name, stack_id, value FROM stack_exports WHERE region = " + a(1) + " AND name = " + a(2),
	}
}
