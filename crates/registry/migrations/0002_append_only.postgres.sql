-- PostgreSQL: the audit log and the case revisions refuse change and deletion.
CREATE FUNCTION delimit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION delimit_refuse_change();
CREATE TRIGGER case_revisions_append_only BEFORE UPDATE ON case_revisions
FOR EACH ROW EXECUTE FUNCTION delimit_refuse_change();
