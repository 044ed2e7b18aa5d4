-- Whether the header offers "Manage" (a person on a team, or allowed to start events) is kept by
-- each app instance for a few seconds, like the session. It is forgotten when a person's team
-- roles change (the key is the person's id) or when the instance's settings change, on every
-- instance, when the change commits. Unlike cache_invalidate (0013) these tables gain rows that
-- matter, so inserts are announced too, with the new row's key.
CREATE FUNCTION cache_invalidate_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM pg_notify('commonspace_live',
			json_build_object('invalidate', TG_TABLE_NAME, 'key', to_jsonb(OLD) ->> TG_ARGV[0])::text);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM pg_notify('commonspace_live',
			json_build_object('invalidate', TG_TABLE_NAME, 'key', to_jsonb(NEW) ->> TG_ARGV[0])::text);
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER event_roles_cache_invalidate AFTER INSERT OR UPDATE OR DELETE ON event_roles
	FOR EACH ROW EXECUTE FUNCTION cache_invalidate_rows('user_id');
--> statement-breakpoint
CREATE TRIGGER instance_settings_cache_invalidate AFTER INSERT OR UPDATE OR DELETE ON instance_settings
	FOR EACH ROW EXECUTE FUNCTION cache_invalidate_rows('id');
