-- "I'd come" marked (p_add) or taken off, as one statement (see
-- src/lib/server/marketplace/interest.ts, the one writer of marks): the proposal must be open and
-- of this event, its round in a phase that takes marks (p_phases, a comma-separated list the
-- phase table gives), and a new mark needs a valid ticket. The proposal's row is locked for the
-- statement (a merge locks it for update too, so no mark lands while marks move across), so marks
-- on one proposal take turns and each announced count includes every mark committed before it.
-- Answers the outcome ('done', 'not_found', 'phase_closed', 'needs_ticket') and the new count.
CREATE FUNCTION interest_mark(p_event_id integer, p_proposal_id integer, p_user_id integer, p_add boolean, p_phases text)
RETURNS TABLE (outcome text, marks integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_round_id integer;
	v_phase text;
	v_count integer;
BEGIN
	SELECT p.round_id INTO v_round_id FROM proposals p
		WHERE p.id = p_proposal_id AND p.event_id = p_event_id AND p.status = 'open'
		FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0;
		RETURN;
	END IF;
	SELECT r.phase INTO v_phase FROM rounds r WHERE r.id = v_round_id AND r.event_id = p_event_id;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0;
		RETURN;
	END IF;
	IF NOT (v_phase = ANY (string_to_array(p_phases, ','))) THEN
		RETURN QUERY SELECT 'phase_closed'::text, 0;
		RETURN;
	END IF;
	IF p_add THEN
		IF NOT EXISTS (
			SELECT 1 FROM tickets t
			WHERE t.event_id = p_event_id AND t.holder_id = p_user_id AND t.status = 'valid'
		) THEN
			RETURN QUERY SELECT 'needs_ticket'::text, 0;
			RETURN;
		END IF;
		INSERT INTO interest (proposal_id, user_id) VALUES (p_proposal_id, p_user_id)
			ON CONFLICT DO NOTHING;
	ELSE
		DELETE FROM interest i WHERE i.proposal_id = p_proposal_id AND i.user_id = p_user_id;
	END IF;
	SELECT count(*)::int INTO v_count FROM interest i WHERE i.proposal_id = p_proposal_id;
	PERFORM live_publish(p_event_id, 'interest',
		jsonb_build_object('proposalId', p_proposal_id, 'count', v_count));
	RETURN QUERY SELECT 'done'::text, v_count;
END $$;
--> statement-breakpoint
-- "I'll be there" (p_add) or taken back, as one statement (see src/lib/server/agenda/attendance.ts,
-- the one writer of these marks). Marking needs a session of this event whose round is in phase
-- p_phase (the published agenda) and a valid ticket; it moves the person's mark off the block's
-- other sessions. Each person's marks queue on a transaction-scoped advisory lock of their own
-- (p_lock, user), so two phones never leave two marks in one block. Taking back needs only a
-- session of this event. Answers the outcome ('done', 'not_found', 'needs_ticket') and the block.
CREATE FUNCTION attendance_mark(p_event_id integer, p_session_id integer, p_user_id integer, p_add boolean, p_phase text, p_lock integer)
RETURNS TABLE (outcome text, block_id integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_block_id integer;
BEGIN
	IF p_add THEN
		SELECT s.block_id INTO v_block_id FROM agenda_sessions s
			JOIN rounds r ON r.id = s.round_id
			WHERE s.id = p_session_id AND s.event_id = p_event_id AND r.phase = p_phase;
	ELSE
		SELECT s.block_id INTO v_block_id FROM agenda_sessions s
			WHERE s.id = p_session_id AND s.event_id = p_event_id;
	END IF;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0;
		RETURN;
	END IF;
	IF p_add THEN
		IF NOT EXISTS (
			SELECT 1 FROM tickets t
			WHERE t.event_id = p_event_id AND t.holder_id = p_user_id AND t.status = 'valid'
		) THEN
			RETURN QUERY SELECT 'needs_ticket'::text, 0;
			RETURN;
		END IF;
		PERFORM pg_advisory_xact_lock(p_lock, p_user_id);
		DELETE FROM session_attendance a
			WHERE a.user_id = p_user_id AND a.session_id IN (
				SELECT s.id FROM agenda_sessions s WHERE s.block_id = v_block_id AND s.id <> p_session_id
			);
		INSERT INTO session_attendance (session_id, user_id) VALUES (p_session_id, p_user_id)
			ON CONFLICT DO NOTHING;
	ELSE
		DELETE FROM session_attendance a WHERE a.session_id = p_session_id AND a.user_id = p_user_id;
	END IF;
	PERFORM live_publish(p_event_id, 'attendance', jsonb_build_object('blockId', v_block_id));
	RETURN QUERY SELECT 'done'::text, v_block_id;
END $$;
--> statement-breakpoint
-- A session's headcount of "I'm here", announced (the `presence` topic's payload).
CREATE FUNCTION presence_announce(p_event_id integer, p_block_id integer, p_session_id integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM live_publish(p_event_id, 'presence', jsonb_build_object(
		'blockId', p_block_id,
		'sessionId', p_session_id,
		'count', (SELECT count(*)::int FROM session_presence pr WHERE pr.session_id = p_session_id)));
END $$;
--> statement-breakpoint
-- "I'm here" (p_here) or walked out, as one statement (see src/lib/server/agenda/attendance.ts,
-- the one writer of presence). Checking in needs a session of this event whose round is in phase
-- p_phase and a valid ticket; the person is then in this session and in no other of its block.
-- Each person's changes queue on an advisory lock of their own (p_lock, user); the sessions whose
-- counts change are locked in id order before the change, so each count announced includes
-- every check-in before it. Answers the outcome ('done', 'not_found', 'needs_ticket') and the block.
CREATE FUNCTION presence_mark(p_event_id integer, p_session_id integer, p_user_id integer, p_here boolean, p_phase text, p_lock integer, p_now timestamptz)
RETURNS TABLE (outcome text, block_id integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_block_id integer;
	v_before integer;
	v_gone boolean;
BEGIN
	IF p_here THEN
		SELECT s.block_id INTO v_block_id FROM agenda_sessions s
			JOIN rounds r ON r.id = s.round_id
			WHERE s.id = p_session_id AND s.event_id = p_event_id AND r.phase = p_phase;
	ELSE
		SELECT s.block_id INTO v_block_id FROM agenda_sessions s
			WHERE s.id = p_session_id AND s.event_id = p_event_id;
	END IF;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_found'::text, 0;
		RETURN;
	END IF;
	IF p_here AND NOT EXISTS (
		SELECT 1 FROM tickets t
		WHERE t.event_id = p_event_id AND t.holder_id = p_user_id AND t.status = 'valid'
	) THEN
		RETURN QUERY SELECT 'needs_ticket'::text, 0;
		RETURN;
	END IF;
	PERFORM pg_advisory_xact_lock(p_lock, p_user_id);

	IF NOT p_here THEN
		PERFORM 1 FROM agenda_sessions s WHERE s.id = p_session_id FOR NO KEY UPDATE;
		DELETE FROM session_presence pr WHERE pr.session_id = p_session_id AND pr.user_id = p_user_id;
		IF FOUND THEN
			PERFORM presence_announce(p_event_id, v_block_id, p_session_id);
		END IF;
		RETURN QUERY SELECT 'done'::text, v_block_id;
		RETURN;
	END IF;

	SELECT pr.session_id INTO v_before FROM session_presence pr
		WHERE pr.block_id = v_block_id AND pr.user_id = p_user_id;
	PERFORM 1 FROM agenda_sessions s
		WHERE s.id IN (p_session_id, coalesce(v_before, p_session_id))
		ORDER BY s.id FOR NO KEY UPDATE;
	INSERT INTO session_presence AS pr (block_id, user_id, session_id, since)
		VALUES (v_block_id, p_user_id, p_session_id, p_now)
		ON CONFLICT (block_id, user_id) DO UPDATE SET session_id = p_session_id, since = p_now;
	IF v_before IS DISTINCT FROM p_session_id THEN
		PERFORM presence_announce(p_event_id, v_block_id, p_session_id);
		IF v_before IS NOT NULL THEN
			PERFORM presence_announce(p_event_id, v_block_id, v_before);
		END IF;
	END IF;
	RETURN QUERY SELECT 'done'::text, v_block_id;
END $$;
