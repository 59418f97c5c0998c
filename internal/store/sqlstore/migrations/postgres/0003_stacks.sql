-- 0003: CloudFormation stacks, their resources, events and exports.
--
-- A stack's row exists while the stack does; (region, name) is unique
-- among them. document and operation are opaque JSON owned by package
-- stack (the deployed version's parameters and outputs; the journal of
-- the operation in progress). Deleting a stack deletes its resources,
-- events and exports. Key columns use the "C" collation, so names sort
-- bytewise as on SQLite.

CREATE TABLE stacks (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    region        text COLLATE "C" NOT NULL,
    name          text COLLATE "C" NOT NULL,
    status        text             NOT NULL,
    status_reason text             NOT NULL,
    template      bytea,
    document      bytea,
    operation     bytea,
    created_at    timestamptz      NOT NULL,
    updated_at    timestamptz      NOT NULL,
    UNIQUE (region, name)
);

CREATE TABLE stack_resources (
    stack_id    text COLLATE "C" NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    logical_id  text COLLATE "C" NOT NULL,
    type        text             NOT NULL,
    physical_id text             NOT NULL,
    status      text             NOT NULL,
    properties  bytea,
    attributes  bytea,
    rollback    bytea,
    updated_at  timestamptz      NOT NULL,
    PRIMARY KEY (stack_id, logical_id)
);

CREATE TABLE stack_events (
    stack_id    text COLLATE "C" NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    seq         bigint           NOT NULL,
    event_id    text             NOT NULL,
    logical_id  text             NOT NULL,
    physical_id text             NOT NULL,
    type        text             NOT NULL,
    status      text             NOT NULL,
    reason      text             NOT NULL,
    created_at  timestamptz      NOT NULL,
    PRIMARY KEY (stack_id, seq)
);

CREATE TABLE stack_exports (
    region   text COLLATE "C" NOT NULL,
    name     text COLLATE "C" NOT NULL,
    stack_id text COLLATE "C" NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    value    text             NOT NULL,
    PRIMARY KEY (region, name)
);

CREATE INDEX stack_exports_stack ON stack_exports (stack_id);
