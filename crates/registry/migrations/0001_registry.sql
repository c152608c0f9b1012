-- The registry's tables, in SQL that SQLite and PostgreSQL both read. `BLOB` becomes
-- `BYTEA` on PostgreSQL (the only word that differs); yes-or-no columns hold 0 or 1 and every
-- number is a BIGINT, so that both back ends give the same Rust types. Times are microseconds
-- since the Unix epoch, UTC; identifiers are random and say nothing about the person.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_us BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_us BIGINT NOT NULL,
    disabled BIGINT NOT NULL
);

-- Only a hash of each session token is kept: a stolen database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_us BIGINT NOT NULL,
    expires_us BIGINT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    created_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    revision BIGINT NOT NULL,
    -- Where an imported case came from (file hash and record), so that an import resumed
    -- after an interruption never stores a case twice.
    source TEXT UNIQUE
);
CREATE INDEX cases_organisation ON cases (organisation, id);

-- A change makes a new revision; no revision is ever updated. `body` is the case without its
-- free text; `protected` holds the free text and the identifying data, encrypted.
CREATE TABLE case_revisions (
    case_id TEXT NOT NULL REFERENCES cases (id),
    revision BIGINT NOT NULL,
    created_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    body TEXT NOT NULL,
    protected BLOB NOT NULL,
    PRIMARY KEY (case_id, revision)
);

-- A dated assessment of one revision: the law's hash, the readings and date it was made
-- under, the qualification in short and the full result with its explanation (JSON,
-- LZ4-compressed with its length in front).
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    revision BIGINT NOT NULL,
    created_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    knowledge_base TEXT NOT NULL,
    doctrines TEXT NOT NULL,
    as_of TEXT,
    summary TEXT NOT NULL,
    result BLOB NOT NULL
);
CREATE INDEX assessments_case ON assessments (case_id, created_us);

-- What statistics count, never free text. One row per person in the CTDC columns (empty
-- where unknown; flags are 1 or empty), from the case's latest revision...
CREATE TABLE persons (
    case_id TEXT NOT NULL,
    person TEXT NOT NULL,
    "yearOfRegistration" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "ageBroad" TEXT NOT NULL,
    "citizenship" TEXT NOT NULL,
    "CountryOfExploitation" TEXT NOT NULL,
    "traffickMonths" TEXT NOT NULL,
    "meansDebtBondageEarnings" TEXT NOT NULL,
    "meansThreats" TEXT NOT NULL,
    "meansAbusePsyPhySex" TEXT NOT NULL,
    "meansFalsePromises" TEXT NOT NULL,
    "meansDrugsAlcohol" TEXT NOT NULL,
    "meansDenyBasicNeeds" TEXT NOT NULL,
    "meansExcessiveWorkHours" TEXT NOT NULL,
    "meansWithholdDocs" TEXT NOT NULL,
    "isForcedLabour" TEXT NOT NULL,
    "isSexualExploit" TEXT NOT NULL,
    "isOtherExploit" TEXT NOT NULL,
    "typeOfLabourAgriculture" TEXT NOT NULL,
    "typeOfLabourConstruction" TEXT NOT NULL,
    "typeOfLabourDomesticWork" TEXT NOT NULL,
    "typeOfLabourHospitality" TEXT NOT NULL,
    "typeOfSexProstitution" TEXT NOT NULL,
    "typeOfSexPornography" TEXT NOT NULL,
    "recruiterRelationIntimatePartner" TEXT NOT NULL,
    "recruiterRelationFriend" TEXT NOT NULL,
    "recruiterRelationFamily" TEXT NOT NULL,
    "recruiterRelationOther" TEXT NOT NULL,
    PRIMARY KEY (case_id, person)
);

-- ...and one row per person and value of what the latest assessment found: the statuses
-- that hold (`qualification`) and the stage each was first reached at (`stage`).
CREATE TABLE facets (
    case_id TEXT NOT NULL,
    person TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX facets_dimension ON facets (dimension, value);
-- Counting persons (not rows), filtering by person and replacing a case's rows read this one.
CREATE INDEX facets_person ON facets (dimension, case_id, person, value);

CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    case_id TEXT REFERENCES cases (id),
    created_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_us BIGINT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL,
    finished BIGINT NOT NULL
);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations (id),
    case_id TEXT REFERENCES cases (id),
    interview_id TEXT REFERENCES interviews (id),
    person TEXT,
    purpose TEXT NOT NULL,
    given BIGINT NOT NULL,
    recorded_us BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    withdrawn_us BIGINT
);

-- The formal decision on a person's status (HTCDS TraffickingStatus), kept apart from what
-- the engine computes.
CREATE TABLE status_decisions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    person TEXT NOT NULL,
    status TEXT NOT NULL,
    decision_maker TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    recorded_us BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);

-- The audit log is append-only and hash-chained: each entry's hash covers the previous hash
-- and the entry, and `audit_head` holds the last one, so that writers take turns.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_us BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- Bulk work that resumes after an interruption: what was asked and how far it got. The
-- cursor moves in the same transaction as the work it counts.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    started_us BIGINT NOT NULL,
    updated_us BIGINT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL,
    cursor TEXT NOT NULL,
    finished BIGINT NOT NULL
);
