-- Web servers keep the users of anonymous browser sessions in memory (server/auth/session-cache.ts).
-- The database itself says when such an answer may have changed, so every writer is covered:
-- services, better-auth's own queries, the expiry sweep, the CLI, another web server.
-- Payload 's:<token hash>' for one session, 'u:<user id>' for everything cached about a user.
CREATE FUNCTION layerbook_notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('layerbook_session_changes', 's:' || OLD.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION layerbook_notify_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('layerbook_session_changes', 'u:' || OLD.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION layerbook_notify_session_change();
--> statement-breakpoint
CREATE TRIGGER users_changed AFTER UPDATE OF role, username, display_name ON users
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name)
  EXECUTE FUNCTION layerbook_notify_user_change();
--> statement-breakpoint
CREATE TRIGGER users_deleted AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION layerbook_notify_user_change();
