-- Tenancy and tamper evidence. Each audit entry names the organisation whose administrators
-- may read it (entries written before this are attributed from their actor or their case;
-- the rest, such as sign-ins under unknown names, belong to no organisation and are read at
-- the command line only). Each case revision carries a seal: an HMAC, under a key derived from
-- the registry's key, of what was stored, so that a revision changed in the database is told
-- apart from one delimit wrote.
ALTER TABLE audit_log ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE audit_log SET organisation = COALESCE(
    (SELECT u.organisation FROM users u WHERE audit_log.actor = u.username || ' (' || u.id || ')'),
    (SELECT c.organisation FROM cases c WHERE c.id = audit_log.target),
    '');
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
CREATE INDEX audit_log_organisation ON audit_log (organisation, seq);
ALTER TABLE case_revisions ADD COLUMN seal TEXT;
