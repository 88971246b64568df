-- Up Migration
-- A command retried under its Idempotency-Key (after a crash, an outage or a lost answer) carries the
-- same fingerprint in detail.command: the audit trail holds it once, however many attempts got there.
CREATE UNIQUE INDEX audit_log_command_idx ON audit_log (target, action, (detail->>'command')) WHERE detail ? 'command';

-- Down Migration
DROP INDEX audit_log_command_idx;
