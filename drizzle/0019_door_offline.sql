CREATE TABLE "door_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "door_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "door_scans" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "door_scans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"scan_id" text,
	"ticket_id" integer NOT NULL,
	"door" text,
	"device" text,
	"user_id" integer,
	"scanned_at" timestamp with time zone NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "checked_in_door" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "checked_in_device" text;--> statement-breakpoint
ALTER TABLE "door_keys" ADD CONSTRAINT "door_keys_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_scans" ADD CONSTRAINT "door_scans_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_scans" ADD CONSTRAINT "door_scans_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_scans" ADD CONSTRAINT "door_scans_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "door_keys_event_idx" ON "door_keys" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "door_scans_scan_key" ON "door_scans" USING btree ("event_id","scan_id");--> statement-breakpoint
CREATE INDEX "door_scans_ticket_idx" ON "door_scans" USING btree ("ticket_id");--> statement-breakpoint
-- Admitting a ticket at a door, as one statement (see src/lib/server/tickets/checkin.ts, the one
-- writer of check-ins). The ticket's row is locked first, so two doors scanning it at once queue:
-- the first lets it in, the second hears "already in since …".
-- Online (p_scan_id null): a valid ticket of this event that is not in goes in now.
-- Offline (a door phone's scan sent later with its scan id and the time it was scanned): a scan id
-- already recorded answers what it answered the first time and changes nothing; otherwise the
-- first admission by scan time wins, and the other one is kept as a 'conflict' for the organiser
-- (as is an offline admission of a ticket cancelled meanwhile), never dropped silently.
-- Answers the outcome ('checked_in', 'already', 'conflict', 'cancelled', 'other_event',
-- 'unknown') with the ticket, the admission that counts (its time and door) and whether this scan
-- made a conflict; any change is announced on the live channel ('checkin').
CREATE FUNCTION door_admit(p_event_id integer, p_code text, p_user_id integer, p_door text,
	p_device text, p_scan_id text, p_scanned_at timestamptz)
RETURNS TABLE (outcome text, ticket_id integer, name text, ticket_type text, at timestamptz,
	door text, conflict boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_t tickets%ROWTYPE;
	v_type text;
	v_stored text;
	v_at timestamptz := coalesce(p_scanned_at, now());
BEGIN
	SELECT * INTO v_t FROM tickets t WHERE t.code = p_code FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'unknown'::text, NULL::int, NULL::text, NULL::text, NULL::timestamptz, NULL::text, false;
		RETURN;
	END IF;
	IF v_t.event_id <> p_event_id THEN
		RETURN QUERY SELECT 'other_event'::text, NULL::int, NULL::text, NULL::text, NULL::timestamptz, NULL::text, false;
		RETURN;
	END IF;
	SELECT tt.name INTO v_type FROM ticket_types tt WHERE tt.id = v_t.ticket_type_id;

	IF p_scan_id IS NOT NULL THEN
		SELECT s.outcome INTO v_stored FROM door_scans s
			WHERE s.event_id = p_event_id AND s.scan_id = p_scan_id;
		IF FOUND THEN
			RETURN QUERY SELECT (CASE v_stored WHEN 'conflict' THEN 'conflict' WHEN 'cancelled' THEN 'cancelled'
				ELSE 'checked_in' END), v_t.id, v_t.name, v_type, v_t.checked_in_at, v_t.checked_in_door,
				v_stored = 'conflict';
			RETURN;
		END IF;
	END IF;

	IF v_t.status <> 'valid' THEN
		IF p_scan_id IS NOT NULL THEN
			INSERT INTO door_scans (event_id, scan_id, ticket_id, door, device, user_id, scanned_at, offline, outcome)
				VALUES (p_event_id, p_scan_id, v_t.id, p_door, p_device, p_user_id, v_at, true, 'cancelled');
			INSERT INTO activity (event_id, actor_id, action, data) VALUES (p_event_id, p_user_id,
				'ticket.check_in_conflict', jsonb_build_object('ticketId', v_t.id, 'door', p_door,
				'reason', 'cancelled', 'scannedAt', v_at));
			PERFORM live_publish(p_event_id, 'checkin', '{}'::jsonb);
		END IF;
		RETURN QUERY SELECT 'cancelled'::text, v_t.id, v_t.name, v_type, NULL::timestamptz, NULL::text, p_scan_id IS NOT NULL;
		RETURN;
	END IF;

	IF v_t.checked_in_at IS NOT NULL AND p_scan_id IS NULL THEN
		RETURN QUERY SELECT 'already'::text, v_t.id, v_t.name, v_type, v_t.checked_in_at, v_t.checked_in_door, false;
		RETURN;
	END IF;

	IF v_t.checked_in_at IS NOT NULL AND v_t.checked_in_at <= v_at THEN
		-- Someone let this ticket in first: this offline admission is the conflict.
		INSERT INTO door_scans (event_id, scan_id, ticket_id, door, device, user_id, scanned_at, offline, outcome)
			VALUES (p_event_id, p_scan_id, v_t.id, p_door, p_device, p_user_id, v_at, true, 'conflict');
		INSERT INTO activity (event_id, actor_id, action, data) VALUES (p_event_id, p_user_id,
			'ticket.check_in_conflict', jsonb_build_object('ticketId', v_t.id, 'door', p_door,
			'reason', 'already', 'scannedAt', v_at, 'firstDoor', v_t.checked_in_door, 'firstAt', v_t.checked_in_at));
		PERFORM live_publish(p_event_id, 'checkin', '{}'::jsonb);
		RETURN QUERY SELECT 'conflict'::text, v_t.id, v_t.name, v_type, v_t.checked_in_at, v_t.checked_in_door, true;
		RETURN;
	END IF;

	IF v_t.checked_in_at IS NOT NULL THEN
		-- This offline admission was earlier than the one recorded: it counts, the other is the conflict.
		UPDATE door_scans s SET outcome = 'conflict' WHERE s.ticket_id = v_t.id AND s.outcome = 'admitted';
		INSERT INTO activity (event_id, actor_id, action, data) VALUES (p_event_id, p_user_id,
			'ticket.check_in_conflict', jsonb_build_object('ticketId', v_t.id, 'door', v_t.checked_in_door,
			'reason', 'already', 'scannedAt', v_t.checked_in_at, 'firstDoor', p_door, 'firstAt', v_at));
	END IF;
	UPDATE tickets t SET checked_in_at = v_at, checked_in_by = p_user_id, checked_in_door = p_door,
		checked_in_device = p_device WHERE t.id = v_t.id;
	INSERT INTO door_scans (event_id, scan_id, ticket_id, door, device, user_id, scanned_at, offline, outcome)
		VALUES (p_event_id, p_scan_id, v_t.id, p_door, p_device, p_user_id, v_at, p_scan_id IS NOT NULL, 'admitted');
	INSERT INTO activity (event_id, actor_id, action, data) VALUES (p_event_id, p_user_id,
		'ticket.checked_in', jsonb_strip_nulls(jsonb_build_object('ticketId', v_t.id, 'door', p_door,
		'offline', CASE WHEN p_scan_id IS NULL THEN NULL ELSE true END)));
	PERFORM live_publish(p_event_id, 'checkin', '{}'::jsonb);
	RETURN QUERY SELECT 'checked_in'::text, v_t.id, v_t.name, v_type, v_at, p_door,
		v_t.checked_in_at IS NOT NULL;
END $$;
