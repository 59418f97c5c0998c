-- 0002: SSM parameters, their versions and their labels.
--
-- parameters holds one row per parameter: its key, the newest version's
-- number and the tags. parent is the name up to and including its last "/"
-- ("" for a name without one), so that a hierarchy level lists through an
-- index. Each version's data is a row of parameter_versions; a label names
-- at most one version of a parameter (the primary key of parameter_labels).
-- Deleting a parameter deletes its versions, and those their labels. Key
-- columns use the "C" collation, so names sort bytewise as on SQLite.

CREATE TABLE parameters (
    region  text COLLATE "C" NOT NULL,
    name    text COLLATE "C" NOT NULL,
    parent  text COLLATE "C" NOT NULL,
    version bigint           NOT NULL,
    tags    text             NOT NULL,
    PRIMARY KEY (region, name)
);

CREATE INDEX parameters_parent ON parameters (region, parent, name);

-- value is plain text for String and StringList parameters and sealed
-- (AES-256-GCM, package sealer) for SecureString ones.
CREATE TABLE parameter_versions (
    region          text COLLATE "C" NOT NULL,
    name            text COLLATE "C" NOT NULL,
    version         bigint           NOT NULL,
    type            text             NOT NULL,
    value           bytea,
    description     text             NOT NULL,
    allowed_pattern text             NOT NULL,
    key_id          text             NOT NULL,
    tier            text             NOT NULL,
    data_type       text             NOT NULL,
    modified_at     timestamptz      NOT NULL,
    PRIMARY KEY (region, name, version),
    FOREIGN KEY (region, name) REFERENCES parameters (region, name) ON DELETE CASCADE
);

CREATE TABLE parameter_labels (
    region  text COLLATE "C" NOT NULL,
    name    text COLLATE "C" NOT NULL,
    label   text COLLATE "C" NOT NULL,
    version bigint           NOT NULL,
    PRIMARY KEY (region, name, label),
    FOREIGN KEY (region, name, version) REFERENCES parameter_versions (region, name, version) ON DELETE CASCADE
);

CREATE INDEX parameter_labels_version ON parameter_labels (region, name, version);
