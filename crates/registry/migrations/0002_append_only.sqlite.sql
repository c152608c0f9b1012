-- SQLite: the audit log and the case revisions refuse change and deletion.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER case_revisions_no_update BEFORE UPDATE ON case_revisions
BEGIN SELECT RAISE(ABORT, 'case revisions are never changed'); END;
