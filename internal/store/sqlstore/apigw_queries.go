package sqlstore

// apigwQueries holds the statements of the API Gateway and Lambda
// methods, built once per dialect like queries.
type apigwQueries struct {
	insertAPI, getAPI, getAPIForUpdate, listAPIs, listAllAPIs, updateAPI, deleteAPI string

	upsertPart, listParts, deletePart string

	insertDeployment, getDeployment, deploymentInUse, deleteDeployment string

	insertStage, getStage, getStageForUpdate, listStages, updateStage, deleteStage string

	deployedStages string

	insertFunction, getFunction, getFunctionByARN, getFunctionForUpdate, listFunctions, updateFunction, deleteFunction string

	bumpGeneration, getGeneration string
}

// Column lists, in the order the scan functions read them.
const (
	apiCols        = "id, region, name, stack_id, definition, created_at, updated_at"
	partCols       = "api_id, kind, part_id, properties, updated_at"
	deploymentCols = "api_id, id, description, definition, created_at"
	stageCols      = "api_id, name, deployment_id, variables, created_at, updated_at"
	functionCols   = "region, name, arn, stack_id, logical_id, runtime, handler, code, environment_sealed, timeout, memory_size, created_at, updated_at"
)

// apigwQueriesOf holds the statements of each dialect.
var apigwQueriesOf = map[*dialect]*apigwQueries{
	sqliteDialect:   newAPIGWQueries(sqliteDialect),
	postgresDialect: newAPIGWQueries(postgresDialect),
}

// apigw returns the API Gateway statements of the store's dialect.
func (s *Store) apigw() *apigwQueries { return apigwQueriesOf[s.d] }

func newAPIGWQueries(d *dialect) *apigwQueries {
	a := d.arg
	return &apigwQueries{
		insertAPI:       "INSERT INTO rest_apis (" + apiCols + ") VALUES (" + args(d, 7) + ")",
		getAPI:          "SELECT " + apiCols + " FROM rest_apis WHERE id = " + a(1),
		getAPIForUpdate: "SELECT " + apiCols + " FROM rest_apis WHERE id = " + a(1) + d.forUpdate,
		listAPIs:        "SELECT " + apiCols + " FROM rest_apis WHERE region = " + a(1) + " ORDER BY region, id",
		listAllAPIs:     "SELECT " + apiCols + " FROM rest_apis ORDER BY region, id",
		updateAPI: "UPDATE rest_apis SET region = " + a(2) + ", name = " + a(3) + ", stack_id = " + a(4) +
			", definition = " + a(5) + ", created_at = " + a(6) + ", updated_at = " + a(7) + " WHERE id = " + a(1),
		deleteAPI: "DELETE FROM rest_apis WHERE id = " + a(1),

		upsertPart: "INSERT INTO rest_api_parts (" + partCols + ") VALUES (" + args(d, 5) + ")" +
			" ON CONFLICT (api_id, kind, part_id) DO UPDATE SET properties = excluded.properties, updated_at = excluded.updated_at",
		listParts:  "SELECT " + partCols + " FROM rest_api_parts WHERE api_id = " + a(1) + " ORDER BY kind, part_id",
		deletePart: "DELETE FROM rest_api_parts WHERE api_id = " + a(1) + " AND kind = " + a(2) + " AND part_id = " + a(3),

		insertDeployment: "INSERT INTO rest_api_deployments (" + deploymentCols + ") VALUES (" + args(d, 5) + ")",
		getDeployment:    "SELECT " + deploymentCols + " FROM rest_api_deployments WHERE api_id = " + a(1) + " AND id = " + a(2),
		deploymentInUse: "SELECT name FROM rest_api_stages WHERE api_id = " + a(1) + " AND deployment_id = " + a(2) +
			" ORDER BY name LIMIT 1",
		deleteDeployment: "DELETE FROM rest_api_deployments WHERE api_id = " + a(1) + " AND id = " + a(2),

		insertStage:       "INSERT INTO rest_api_stages (" + stageCols + ") VALUES (" + args(d, 6) + ")",
		getStage:          "SELECT " + stageCols + " FROM rest_api_stages WHERE api_id = " + a(1) + " AND name = " + a(2),
		getStageForUpdate: "SELECT " + stageCols + " FROM rest_api_stages WHERE api_id = " + a(1) + " AND name = " + a(2) + d.forUpdate,
		listStages:        "SELECT " + stageCols + " FROM rest_api_stages WHERE api_id = " + a(1) + " ORDER BY name",
		updateStage: "UPDATE rest_api_stages SET deployment_id = " + a(3) + ", variables = " + a(4) +
			", created_at = " + a(5) + ", updated_at = " + a(6) + " WHERE api_id = " + a(1) + " AND name = " + a(2),
		deleteStage: "DELETE FROM rest_api_stages WHERE api_id = " + a(1) + " AND name = " + a(2),

		deployedStages: "SELECT a.region, a.id, a.name, s.name, s.deployment_id, s.variables, d.definition" +
			" FROM rest_api_stages s" +
			" JOIN rest_apis a ON a.id = s.api_id" +
			" JOIN rest_api_deployments d ON d.api_id = s.api_id AND d.id = s.deployment_id" +
			" ORDER BY a.id, s.name",

		insertFunction:       "INSERT INTO lambda_functions (" + functionCols + ") VALUES (" + args(d, 13) + ")",
		getFunction:          "SELECT " + functionCols + " FROM lambda_functions WHERE region = " + a(1) + " AND name = " + a(2),
		getFunctionByARN:     "SELECT " + functionCols + " FROM lambda_functions WHERE arn = " + a(1),
		getFunctionForUpdate: "SELECT " + functionCols + " FROM lambda_functions WHERE region = " + a(1) + " AND name = " + a(2) + d.forUpdate,
		listFunctions:        "SELECT " + functionCols + " FROM lambda_functions ORDER BY region, name",
		updateFunction: "UPDATE lambda_functions SET arn = " + a(3) + ", stack_id = " + a(4) + ", logical_id = " + a(5) +
			", runtime = " + a(6) + ", handler = " + a(7) + ", code = " + a(8) + ", environment_sealed = " + a(9) +
			", timeout = " + a(10) + ", memory_size = " + a(11) + ", created_at = " + a(12) + ", updated_at = " + a(13) +
			" WHERE region = " + a(1) + " AND name = " + a(2),
		deleteFunction: "DELETE FROM lambda_functions WHERE region = " + a(1) + " AND name = " + a(2),

		bumpGeneration: "UPDATE gateway_generation SET generation = generation + 1 WHERE id = 1",
		getGeneration:  "SELECT generation FROM gateway_generation WHERE id = 1",
	}
}
