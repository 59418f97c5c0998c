-- 0004: API Gateway REST APIs with their parts, deployments and stages;
-- Lambda functions; and the gateway generation.
--
-- definition, properties, variables and code are opaque JSON owned by
-- package apigw; environment_sealed is sealed by package sealer.
-- Deleting an API deletes its parts, deployments and stages; a stage
-- names a deployment of its own API, which cannot be deleted while a
-- stage points to it. stack_id is informational (no foreign key): the
-- stack engine deletes what a stack owns through package apigw. Key
-- columns use the "C" collation, so names sort bytewise as on SQLite.
--
-- gateway_generation has one row. Every write to the other tables adds
-- one to it in the same transaction, so that every node sharing the
-- database can tell with one cheap read that its route table is stale.

CREATE TABLE rest_apis (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    region     text COLLATE "C" NOT NULL,
    name       text             NOT NULL,
    stack_id   text             NOT NULL,
    definition bytea,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL
);

CREATE INDEX rest_apis_region ON rest_apis (region, id);

CREATE TABLE rest_api_parts (
    api_id     text COLLATE "C" NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    kind       text COLLATE "C" NOT NULL,
    part_id    text COLLATE "C" NOT NULL,
    properties bytea,
    updated_at timestamptz      NOT NULL,
    PRIMARY KEY (api_id, kind, part_id)
);

CREATE TABLE rest_api_deployments (
    api_id      text COLLATE "C" NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    id          text COLLATE "C" NOT NULL,
    description text             NOT NULL,
    definition  bytea,
    created_at  timestamptz      NOT NULL,
    PRIMARY KEY (api_id, id)
);

CREATE TABLE rest_api_stages (
    api_id        text COLLATE "C" NOT NULL REFERENCES rest_apis (id) ON DELETE CASCADE,
    name          text COLLATE "C" NOT NULL,
    deployment_id text COLLATE "C" NOT NULL,
    variables     bytea,
    created_at    timestamptz      NOT NULL,
    updated_at    timestamptz      NOT NULL,
    PRIMARY KEY (api_id, name),
    FOREIGN KEY (api_id, deployment_id) REFERENCES rest_api_deployments (api_id, id)
);

CREATE INDEX rest_api_stages_deployment ON rest_api_stages (api_id, deployment_id);

CREATE TABLE lambda_functions (
    region             text COLLATE "C" NOT NULL,
    name               text COLLATE "C" NOT NULL,
    arn                text COLLATE "C" NOT NULL UNIQUE,
    stack_id           text             NOT NULL,
    logical_id         text             NOT NULL,
    runtime            text             NOT NULL,
    handler            text             NOT NULL,
    code               bytea,
    environment_sealed bytea,
    timeout            integer          NOT NULL,
    memory_size        integer          NOT NULL,
    created_at         timestamptz      NOT NULL,
    updated_at         timestamptz      NOT NULL,
    PRIMARY KEY (region, name)
);

CREATE TABLE gateway_generation (
    id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
    generation bigint  NOT NULL
);

INSERT INTO gateway_generation (id, generation) VALUES (1, 0);
