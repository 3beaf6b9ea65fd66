-- Bulk load for bench/evaluation.py: one year (2025) of huaguoshan's events, exactly
-- 500 000, plus 20 000 tickets for each of the six other communities. The raw log
-- (metric_events) holds each event as its producer publishes it; the projections are
-- derived from the same rows (tickets, ratings, inspections straight from the logged JSON;
-- cases from the same generated facts), as the consumer would have folded them.
-- Times are working hours in Shenzhen (01:00-09:59 UTC). r(i) is a deterministic scramble.

CREATE FUNCTION pg_temp.iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') $$;

CREATE FUNCTION pg_temp.at(i bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
  $$ SELECT timestamptz '2025-01-01 01:00+00' + make_interval(days => (i % 365)::int,
            hours => (i % 9)::int, mins => (i % 60)::int) $$;

CREATE FUNCTION pg_temp.r(i bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT (i * 2654435761) % 4294967296 $$;

CREATE FUNCTION pg_temp.envelope(name text, community text, subject text, seq int,
                                 at timestamptz, data jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('specversion', '1.0', 'id', md5(name || subject || seq)::uuid,
    'source', '/services/' || split_part(name, '.', 1), 'type', name || '.v1',
    'subject', subject, 'time', pg_temp.iso(at), 'datacontenttype', 'application/json',
    'community', community, 'sequence', seq::text, 'data', data) $$;

CREATE TEMP TABLE raw (name text, community text, body jsonb);

-- 250 000 tickets of huaguoshan, 20 000 of each other community
INSERT INTO raw
SELECT 'intake.ticket.completed', c.community,
       pg_temp.envelope('intake.ticket.completed', c.community, t.id, 1, pg_temp.at(i),
         jsonb_build_object('ticket_id', t.id, 'number', 'A' || lpad((i % 999)::text, 3, '0'),
           'business_type', (ARRAY['social_security', 'civil_affairs', 'health', 'housing'])[1 + i % 4],
           'window_id', 'w' || (i % 6), 'channel', 'onsite', 'priority', 'normal',
           'issued_at', pg_temp.iso(pg_temp.at(i) - make_interval(secs => t.wait + 300)),
           'called_at', pg_temp.iso(pg_temp.at(i) - interval '300 seconds'),
           'completed_at', pg_temp.iso(pg_temp.at(i)), 'wait_seconds', t.wait,
           'service_seconds', 300))
FROM (SELECT 'huaguoshan' AS community, 250000 AS n UNION ALL
      SELECT unnest(ARRAY['chiwan', 'shuiwan', 'yanshan', 'wenzhuyuan', 'haiyue', 'guiyuan']), 20000) c,
     generate_series(1, c.n) i,
     LATERAL (SELECT md5(c.community || 't' || i)::uuid::text AS id,
                     (30 + pg_temp.r(i) % 1200 + CASE WHEN i % 10 = 0 THEN pg_temp.r(i) % 2400 ELSE 0 END)::int AS wait) t;

-- 120 000 ratings, mostly 4 and 5
INSERT INTO raw
SELECT 'intake.feedback.recorded', 'huaguoshan',
       pg_temp.envelope('intake.feedback.recorded', 'huaguoshan', md5('f' || i)::uuid::text, 1,
         pg_temp.at(i), jsonb_build_object('feedback_id', md5('f' || i)::uuid::text,
           'target_kind', 'ticket', 'target_id', md5('huaguoshant' || i)::uuid::text,
           'business_type', NULL, 'recorded_at', pg_temp.iso(pg_temp.at(i)),
           'score', (ARRAY[5, 5, 5, 5, 5, 4, 4, 4, 3, 2])[1 + pg_temp.r(i) % 10]))
FROM generate_series(1, 120000) i;

-- 15 000 intake cases: opened, resolved (90 % within 5 days), closed → 45 000 events
CREATE TEMP TABLE intake_cases AS
SELECT md5('ic' || i)::uuid::text AS id, pg_temp.at(i) AS opened,
       pg_temp.at(i) + interval '5 days' AS due,
       pg_temp.at(i) + make_interval(hours => (CASE WHEN i % 10 = 0 THEN 130 ELSE 4 + pg_temp.r(i) % 110 END)::int) AS resolved
FROM generate_series(1, 15000) i;

INSERT INTO raw
SELECT 'intake.case.' || s.step, 'huaguoshan',
       pg_temp.envelope('intake.case.' || s.step, 'huaguoshan', c.id, s.seq,
         CASE s.step WHEN 'opened' THEN c.opened WHEN 'resolved' THEN c.resolved
                     ELSE c.resolved + interval '1 day' END,
         jsonb_build_object('case_id', c.id, 'case_number', 'IC-2025-' || right(c.id, 6),
           'business_type', 'civil_affairs', 'opened_at', pg_temp.iso(c.opened),
           'due_at', pg_temp.iso(c.due))
         || CASE s.step WHEN 'resolved' THEN jsonb_build_object('resolved_at', pg_temp.iso(c.resolved),
                                                                'on_time', c.resolved <= c.due)
                        WHEN 'closed' THEN jsonb_build_object('closed_at', pg_temp.iso(c.resolved + interval '1 day'))
                        ELSE '{}'::jsonb END)
FROM intake_cases c, (VALUES ('opened', 1), ('resolved', 2), ('closed', 3)) s(step, seq);

INSERT INTO metric_cases (origin, case_id, community, source, opened_at, due_at, last_sequence,
  first_resolved_at, resolved_at, on_time, resolution_sequence, reopened, reopen_sequence,
  closed_at, closed_sequence)
SELECT 'intake', id, 'huaguoshan', NULL, opened, due, 3, resolved, resolved, resolved <= due, 2,
       false, -1, resolved + interval '1 day', 3
FROM intake_cases;

-- 20 000 grid cases in 60 cells: reported, resolved, closed; one in ten reopened and
-- resolved again; one in seven came from intake → 64 000 events
CREATE TEMP TABLE grid_cases AS
SELECT md5('gc' || i)::uuid::text AS id, pg_temp.at(i) AS reported,
       pg_temp.at(i) + interval '3 days' AS due,
       pg_temp.at(i) + make_interval(hours => (2 + pg_temp.r(i) % 84)::int) AS first_resolved,
       i % 10 = 0 AS reopened, 'HGS-' || lpad((i % 60)::text, 2, '0') AS cell,
       CASE WHEN i % 7 = 0 THEN 'intake' ELSE 'resident' END AS source
FROM generate_series(1, 20000) i;

INSERT INTO raw
SELECT 'grid.case.' || s.step, 'huaguoshan',
       pg_temp.envelope('grid.case.' || s.step, 'huaguoshan', g.id, s.seq, g.reported + make_interval(days => s.seq),
         jsonb_build_object('case_id', g.id, 'case_number', 'GC-2025-' || right(g.id, 6),
           'category', 'sanitation', 'severity', 'normal', 'source', g.source,
           'cell_code', g.cell, 'reported_at', pg_temp.iso(g.reported), 'due_at', pg_temp.iso(g.due))
         || CASE WHEN s.step = 'resolved' THEN jsonb_build_object('source_ref', NULL,
                'resolved_at', pg_temp.iso(g.first_resolved + make_interval(days => 2 * (s.seq / 4))),
                'on_time', g.first_resolved + make_interval(days => 2 * (s.seq / 4)) <= g.due)
              WHEN s.step = 'closed' THEN jsonb_build_object('closed_kind', 'resolved')
              ELSE '{}'::jsonb END)
FROM grid_cases g,
     LATERAL (VALUES ('reported', 1), ('resolved', 2)) s(step, seq)
UNION ALL
SELECT 'grid.case.' || s.step, 'huaguoshan',
       pg_temp.envelope('grid.case.' || s.step, 'huaguoshan', g.id, s.seq, g.reported + make_interval(days => s.seq),
         jsonb_build_object('case_id', g.id, 'case_number', 'GC-2025-' || right(g.id, 6),
           'category', 'sanitation', 'severity', 'normal', 'source', g.source,
           'cell_code', g.cell, 'reported_at', pg_temp.iso(g.reported), 'due_at', pg_temp.iso(g.due))
         || CASE WHEN s.step = 'resolved' THEN jsonb_build_object('source_ref', NULL,
                'resolved_at', pg_temp.iso(g.first_resolved + interval '2 days'),
                'on_time', g.first_resolved + interval '2 days' <= g.due)
              WHEN s.step = 'closed' THEN jsonb_build_object('closed_kind', 'resolved')
              ELSE '{}'::jsonb END)
FROM grid_cases g,
     LATERAL (SELECT * FROM (VALUES ('reopened', 3), ('resolved', 4), ('closed', 5)) v(step, seq)
              WHERE g.reopened
              UNION ALL SELECT 'closed', 3 WHERE NOT g.reopened) s(step, seq);

INSERT INTO metric_cases (origin, case_id, community, source, opened_at, due_at, last_sequence,
  first_resolved_at, resolved_at, on_time, resolution_sequence, reopened, reopen_sequence,
  closed_at, closed_sequence)
SELECT 'grid', id, 'huaguoshan', source, reported, due, CASE WHEN reopened THEN 5 ELSE 3 END,
       first_resolved, first_resolved + CASE WHEN reopened THEN interval '2 days' ELSE interval '0' END,
       first_resolved + CASE WHEN reopened THEN interval '2 days' ELSE interval '0' END <= due,
       CASE WHEN reopened THEN 4 ELSE 2 END, reopened, CASE WHEN reopened THEN 3 ELSE -1 END,
       reported + make_interval(days => CASE WHEN reopened THEN 5 ELSE 3 END),
       CASE WHEN reopened THEN 5 ELSE 3 END
FROM grid_cases;

-- one contract: activated, 12 monthly milestones due, 11 paid → 24 events
INSERT INTO raw
SELECT 'contracts.contract.activated', 'huaguoshan',
       pg_temp.envelope('contracts.contract.activated', 'huaguoshan', md5('contract')::uuid::text, 1,
         timestamptz '2025-01-02 02:00+00', jsonb_build_object('contract_id', md5('contract')::uuid::text,
           'provider_id', md5('provider')::uuid::text, 'value_fen', 120000000,
           'period_start', '2025-01-01', 'period_end', '2025-12-31', 'package_codes', jsonb_build_array('GRID'),
           'activated_at', '2025-01-02T02:00:00+00:00'))
UNION ALL
SELECT 'contracts.milestone.due', 'huaguoshan',
       pg_temp.envelope('contracts.milestone.due', 'huaguoshan', md5('contract')::uuid::text, 1 + m,
         timestamptz '2025-01-02 02:00+00', jsonb_build_object('contract_id', md5('contract')::uuid::text,
           'milestone_id', md5('milestone' || m)::uuid::text, 'amount_fen', 10000000,
           'due_date', to_char(make_date(2025, m, 1) + interval '1 month' - interval '1 day', 'YYYY-MM-DD')))
FROM generate_series(1, 12) m
UNION ALL
SELECT 'contracts.payment.made', 'huaguoshan',
       pg_temp.envelope('contracts.payment.made', 'huaguoshan', md5('contract')::uuid::text, 13 + m,
         make_date(2025, m, 25)::timestamptz, jsonb_build_object('payment_id', md5('payment' || m)::uuid::text,
           'contract_id', md5('contract')::uuid::text, 'milestone_id', md5('milestone' || m)::uuid::text,
           'amount_fen', 10000000, 'paid_at', pg_temp.iso(make_date(2025, m, 25)::timestamptz)))
FROM generate_series(1, 11) m;

-- inspections make up the rest of the 500 000
INSERT INTO raw
SELECT 'grid.inspection.completed', 'huaguoshan',
       pg_temp.envelope('grid.inspection.completed', 'huaguoshan', md5('in' || i)::uuid::text, 1,
         pg_temp.at(i), jsonb_build_object('inspection_id', md5('in' || i)::uuid::text,
           'cell_code', 'HGS-' || lpad((i % 60)::text, 2, '0'),
           'period', to_char(pg_temp.at(i) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'),
           'items', 12, 'findings', i % 3, 'completed_at', pg_temp.iso(pg_temp.at(i))))
FROM generate_series(1, 500000 - (SELECT count(*) FROM raw WHERE community = 'huaguoshan')) i;

INSERT INTO metric_events (event_id, name, community, received_at, body)
SELECT body->>'id', name, community, now(), body::text FROM raw ORDER BY body->>'time';

INSERT INTO metric_tickets
SELECT d->>'ticket_id', community, d->>'business_type', d->>'channel',
       (d->>'completed_at')::timestamptz, (d->>'wait_seconds')::int, (d->>'service_seconds')::int
FROM (SELECT community, body->'data' AS d FROM raw WHERE name = 'intake.ticket.completed') t;

INSERT INTO metric_feedback
SELECT d->>'feedback_id', 'huaguoshan', d->>'target_kind', (d->>'score')::int, (d->>'recorded_at')::timestamptz
FROM (SELECT body->'data' AS d FROM raw WHERE name = 'intake.feedback.recorded') f;

INSERT INTO metric_inspections
SELECT d->>'inspection_id', 'huaguoshan', d->>'cell_code', d->>'period',
       (d->>'completed_at')::timestamptz, (d->>'items')::int, (d->>'findings')::int
FROM (SELECT body->'data' AS d FROM raw WHERE name = 'grid.inspection.completed') s;

INSERT INTO metric_cells
SELECT 'huaguoshan', cell, min(seen) FROM (
  SELECT d->>'cell_code' AS cell, (d->>'reported_at')::timestamptz AS seen
  FROM (SELECT body->'data' AS d FROM raw WHERE name LIKE 'grid.case.%') g
  UNION ALL
  SELECT d->>'cell_code', least((d->>'completed_at')::timestamptz, ((d->>'period') || '-01 00:00+00')::timestamptz)
  FROM (SELECT body->'data' AS d FROM raw WHERE name = 'grid.inspection.completed') i) c
GROUP BY cell;

INSERT INTO metric_contracts VALUES (md5('contract')::uuid::text, 'huaguoshan', md5('provider')::uuid::text,
  120000000, '2025-01-01', '2025-12-31', '2025-01-02 02:00+00');

INSERT INTO metric_milestones
SELECT md5('milestone' || m)::uuid::text, md5('contract')::uuid::text, 'huaguoshan',
       make_date(2025, m, 1) + interval '1 month' - interval '1 day', 10000000,
       CASE WHEN m <= 11 THEN make_date(2025, m, 25)::timestamptz END, false
FROM generate_series(1, 12) m;

DROP TABLE raw
