-- When each session last made a request, to end sessions left unused (0: not since it began).
ALTER TABLE sessions ADD COLUMN seen_us BIGINT NOT NULL DEFAULT 0;
