-- 0002: SSM parameters, their versions and their labels.
--
-- parameters holds one row per parameter: its key, the newest version's
-- number and the tags. parent is the name up to and including its last "/"
-- ("" for a name without one), so that a hierarchy level lists through an
-- index. Each version's data is a row of parameter_versions; a label names
-- at most one version of a parameter (the primary key of parameter_labels).
-- Deleting a parameter deletes its versions, and those their labels.

CREATE TABLE parameters (
    region  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    parent  TEXT    NOT NULL,
    version INTEGER NOT NULL,
    tags    TEXT    NOT NULL,
    PRIMARY KEY (region, name)
) STRICT;

CREATE INDEX parameters_parent ON parameters (region, parent, name);

-- value is plain text for String and StringList parameters and sealed
-- (AES-256-GCM, package sealer) for SecureString ones.
CREATE TABLE parameter_versions (
    region          TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    value           BLOB,
    description     TEXT    NOT NULL,
    allowed_pattern TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    tier            TEXT    NOT NULL,
    data_type       TEXT    NOT NULL,
    modified_at     INTEGER NOT NULL,
    PRIMARY KEY (region, name, version),
    FOREIGN KEY (region, name) REFERENCES parameters (region, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE parameter_labels (
    region  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    label   TEXT    NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (region, name, label),
    FOREIGN KEY (region, name, version) REFERENCES parameter_versions (region, name, version) ON DELETE CASCADE
) STRICT;

CREATE INDEX parameter_labels_version ON parameter_labels (region, name, version);
