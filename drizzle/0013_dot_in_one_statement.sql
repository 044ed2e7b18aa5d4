-- A live message in one statement: recorded in live_events and announced on the channel every
-- app instance listens to (see src/lib/server/live/hub.ts). A payload over 7,000 bytes (NOTIFY
-- takes at most 8,000) goes without its data; listeners read it back by id.
CREATE FUNCTION live_publish(p_event_id integer, p_topic text, p_data jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_payload text;
BEGIN
	INSERT INTO live_events (event_id, topic, data) VALUES (p_event_id, p_topic, p_data)
		RETURNING id INTO v_id;
	v_payload := json_build_object('id', v_id, 'eventId', p_event_id, 'topic', p_topic, 'data', p_data)::text;
	IF octet_length(v_payload) > 7000 THEN
		v_payload := json_build_object('id', v_id, 'eventId', p_event_id, 'topic', p_topic)::text;
	END IF;
	PERFORM pg_notify('commonspace_live', v_payload);
	RETURN v_id;
END $$;
--> statement-breakpoint
-- Placing (p_add) or taking back one dot, as one statement (see src/lib/server/marketplace/dots.ts,
-- the one writer of the dot ledger): the proposal must be open and of this event, the voter must
-- hold a valid ticket for it, its round must be in a phase that allows voting (p_phases, a
-- comma-separated list the phase table gives), then the budget and the per-proposal limit are
-- guarded counters. Locks are taken in the order proposal, budget, the voter's dots on it, as a
-- merge takes them; the proposal's lock is held only for this statement. Answers the outcome
-- ('done', or why it was refused: 'not_found', 'needs_ticket', 'phase_closed', 'budget',
-- 'limit') with the proposal's new total, the voter's dots on it and what is left to place;
-- a done vote also announces the new total on the live channel.
CREATE FUNCTION dot_vote(p_event_id integer, p_proposal_id integer, p_user_id integer, p_add boolean, p_phases text)
RETURNS TABLE (outcome text, dot_total integer, dot_mine integer, dots_left integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_round rounds%ROWTYPE;
	v_round_id integer;
	v_used integer;
	v_mine integer;
	v_total integer;
BEGIN
	SELECT p.round_id INTO v_round_id FROM proposals p
		WHERE p.id = p_proposal_id AND p.event_id = p_event_id AND p.status = 'open'
		FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0, 0, 0;
		RETURN;
	END IF;
	IF NOT EXISTS (
		SELECT 1 FROM tickets t
		WHERE t.event_id = p_event_id AND t.holder_id = p_user_id AND t.status = 'valid'
	) THEN
		RETURN QUERY SELECT 'needs_ticket'::text, 0, 0, 0;
		RETURN;
	END IF;
	SELECT * INTO v_round FROM rounds r WHERE r.id = v_round_id AND r.event_id = p_event_id;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0, 0, 0;
		RETURN;
	END IF;
	IF NOT (v_round.phase = ANY (string_to_array(p_phases, ','))) THEN
		RETURN QUERY SELECT 'phase_closed'::text, 0, 0, 0;
		RETURN;
	END IF;

	IF p_add THEN
		IF v_round.dot_budget < 1 THEN
			RETURN QUERY SELECT 'budget'::text, 0, 0, 0;
			RETURN;
		END IF;
		INSERT INTO dot_budgets AS b (round_id, user_id, used) VALUES (v_round.id, p_user_id, 1)
			ON CONFLICT (round_id, user_id) DO UPDATE SET used = b.used + 1
			WHERE b.used < v_round.dot_budget
			RETURNING b.used INTO v_used;
		IF NOT FOUND THEN
			RETURN QUERY SELECT 'budget'::text, 0, 0, 0;
			RETURN;
		END IF;
		IF v_round.per_proposal_limit >= 1 THEN
			INSERT INTO dots AS d (proposal_id, user_id, round_id, count)
				VALUES (p_proposal_id, p_user_id, v_round.id, 1)
				ON CONFLICT (proposal_id, user_id) DO UPDATE SET count = d.count + 1
				WHERE d.count < v_round.per_proposal_limit
				RETURNING d.count INTO v_mine;
		END IF;
		IF v_mine IS NULL THEN
			-- The budget row is ours until commit: give the dot back.
			UPDATE dot_budgets b SET used = b.used - 1
				WHERE b.round_id = v_round.id AND b.user_id = p_user_id;
			RETURN QUERY SELECT 'limit'::text, 0, 0, 0;
			RETURN;
		END IF;
	ELSE
		SELECT b.used INTO v_used FROM dot_budgets b
			WHERE b.round_id = v_round.id AND b.user_id = p_user_id
			FOR UPDATE;
		v_used := coalesce(v_used, 0);
		UPDATE dots d SET count = d.count - 1
			WHERE d.proposal_id = p_proposal_id AND d.user_id = p_user_id AND d.count > 0
			RETURNING d.count INTO v_mine;
		IF FOUND THEN
			v_used := v_used - 1;
			UPDATE dot_budgets b SET used = v_used
				WHERE b.round_id = v_round.id AND b.user_id = p_user_id;
		ELSE
			v_mine := 0;
		END IF;
	END IF;

	SELECT coalesce(sum(d.count), 0)::int INTO v_total FROM dots d WHERE d.proposal_id = p_proposal_id;
	PERFORM live_publish(p_event_id, 'dots',
		jsonb_build_object('roundId', v_round.id, 'proposalId', p_proposal_id, 'total', v_total));
	RETURN QUERY SELECT 'done'::text, v_total, v_mine, v_round.dot_budget - v_used;
END $$;
--> statement-breakpoint
-- What each app instance keeps in memory for a few seconds (an event by its slug, a session with
-- its person) is forgotten as soon as the row changes, on every instance: each change is
-- announced on the live channel with the table and the key the caches know it by (TG_ARGV[0]),
-- when the change commits.
CREATE FUNCTION cache_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('commonspace_live',
		json_build_object('invalidate', TG_TABLE_NAME, 'key', to_jsonb(OLD) ->> TG_ARGV[0])::text);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_cache_invalidate AFTER UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION cache_invalidate('slug');
--> statement-breakpoint
CREATE TRIGGER users_cache_invalidate AFTER UPDATE OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION cache_invalidate('id');
--> statement-breakpoint
CREATE TRIGGER sessions_cache_invalidate AFTER UPDATE OR DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION cache_invalidate('id');
