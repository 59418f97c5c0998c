-- 0003: CloudFormation stacks, their resources, events and exports.
--
-- A stack's row exists while the stack does; (region, name) is unique
-- among them. document and operation are opaque JSON owned by package
-- stack (the deployed version's parameters and outputs; the journal of
-- the operation in progress). Deleting a stack deletes its resources,
-- events and exports.

CREATE TABLE stacks (
    id            TEXT    NOT NULL PRIMARY KEY,
    region        TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    status_reason TEXT    NOT NULL,
    template      BLOB,
    document      BLOB,
    operation     BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (region, name)
) STRICT;

CREATE TABLE stack_resources (
    stack_id    TEXT    NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    logical_id  TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    physical_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    properties  BLOB,
    attributes  BLOB,
    rollback    BLOB,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (stack_id, logical_id)
) STRICT;

CREATE TABLE stack_events (
    stack_id    TEXT    NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    logical_id  TEXT    NOT NULL,
    physical_id TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (stack_id, seq)
) STRICT;

CREATE TABLE stack_exports (
    region   TEXT NOT NULL,
    name     TEXT NOT NULL,
    stack_id TEXT NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    value    TEXT NOT NULL,
    PRIMARY KEY (region, name)
) STRICT;

CREATE INDEX stack_exports_stack ON stack_exports (stack_id);
