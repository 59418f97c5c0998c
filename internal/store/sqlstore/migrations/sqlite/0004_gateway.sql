-- 0004: API Gateway REST APIs with their parts, deployments and stages;
-- Lambda functions; and the gateway generation.
--
-- definition, properties, variables and code are opaque JSON owned by
-- package apigw; environment_sealed is sealed by package sealer.
-- Deleting an API deletes its parts, deployments and stages; a stage
-- names a deployment of its own API, which cannot be deleted while a
-- stage points to it. stack_id is informational (no foreign key): the
-- stack engine deletes what a stack owns through package apigw.
--
-- gateway_generation has one row. Every write to the other tables adds
-- one to it in the same transaction, so that every node sharing the
-- database can tell with one cheap read that its route table is stale.

CREATE TABLE rest_apis (
    id         TEXT    NOT NULL PRIMARY KEY,
    region     TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    stack_id   TEXT    NOT NULL,
    definition BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX rest_apis_region ON rest_apis (region, id);

CREATE TABLE rest_api_parts (
    api_id     TEXT    NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    part_id    TEXT    NOT NULL,
    properties BLOB,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (api_id, kind, part_id)
) STRICT;

CREATE TABLE rest_api_deployments (
    api_id      TEXT    NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    description TEXT    NOT NULL,
    definition  BLOB,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (api_id, id)
) STRICT;

CREATE TABLE rest_api_stages (
    api_id        TEXT    NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    deployment_id TEXT    NOT NULL,
    variables     BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (api_id, name),
    FOREIGN KEY (api_id, deployment_id) REFERENCES rest_api_deployments (api_id, id)
) STRICT;

CREATE INDEX rest_api_stages_deployment ON rest_api_stages (api_id, deployment_id);

CREATE TABLE lambda_functions (
    region             TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    arn                TEXT    NOT NULL UNIQUE,
    stack_id           TEXT    NOT NULL,
    logical_id         TEXT    NOT NULL,
    runtime            TEXT    NOT NULL,
    handler            TEXT    NOT NULL,
    code               BLOB,
    environment_sealed BLOB,
    timeout            INTEGER NOT NULL,
    memory_size        INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (region, name)
) STRICT;

CREATE TABLE gateway_generation (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
) STRICT;

INSERT INTO gateway_generation (id, generation) VALUES (1, 0);
