-- Tenancy and tamper evidence. Each audit entry names the organisation whose administrators
-- may read it (entries written before this are attributed from their actor or their case;
-- the rest, such as sign-ins under unknown names, belong to no organisation and are read at
-- the command line only). Each case revision carries a seal: an HMAC, under a key derived from
-- the registry's key, of what was stored, so that a revision changed in the database is told
-- apart from one delimit wrote.
ALTER TABLE audit_log ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET organisation = COALESCE(
    (SELECT u.organisation FROM users u WHERE audit_log.actor = u.username || ' (' || u.id || ')'),
    (SELECT c.organisation FROM cases c WHERE c.id = audit_log.target),
    '');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE INDEX audit_log_organisation ON audit_log (organisation, seq);
ALTER TABLE case_revisions ADD COLUMN seal TEXT;
