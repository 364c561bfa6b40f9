"""The sponsor summary's reads but the funders' figures: the running totals and the milestones
waiting for a decision, each added up by program and by employer, the partners, and the Worker
Equity Fund's figures. On PostgreSQL one statement; elsewhere (the quick start's SQLite) plain ORM
reads, which a test holds equal (tests/reports/test_summary.py)."""

from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Sum

from apprenticeships.models import AidRequest, AidStatus, Apprenticeship, Program
from apprenticeships.selectors.aid import aid_summary
from sponsors.funds_models import Fund
from sponsors.funds_selectors import investment_from
from sponsors.models import Employer, Participation

from .models import HourTotals, Milestone, MilestoneStatus


class SummaryReads(NamedTuple):
    by_program: list  # (program id, title, status, apprenticeships, OJT, RTI, logs waiting)
    by_employer: list  # (employer id, name, status, apprenticeships, OJT, RTI, logs waiting)
    pending_milestones_by_program: list  # (program id, milestones waiting)
    pending_milestones_by_employer: list  # (employer id, milestones waiting)
    partners: int  # employers taking part in the sponsor's programs; 1 for one employer's summary
    worker_equity_fund: dict  # {"investment": ..., "aid": ...}, as `aid_summary` gives them


# What it buys, at the benchmark's sponsor of 5,000 apprenticeships: five reads in one round trip
# (the ORM took more time building the small aggregates than the database running them: 3 ms
# of the summary's 19 for the partners and the fund's two), and the totals first added up by
# (program, employer, status), a few hundred rows, then only those rolled up by program and by
# employer (GROUPING SETS) and joined to their names: hashing 5,000 totals once on their ids,
# not twice with the names, makes that part 3.3 ms instead of 5.8. The whole summary in-process:
# about 31 -> 24 ms.
#
# Each row's first column names the read (the part) it belongs to; `summary_reads` below unpacks the rest.
_SUMMARY_READS = f"""
    WITH per_program_and_employer AS (
        SELECT t.program_id, t.employer_id, t.status, COUNT(*) AS apprenticeships,
               SUM(t.ojt_approved) AS ojt, SUM(t.rti_approved) AS rti, SUM(t.pending_logs) AS logs
        FROM {HourTotals._meta.db_table} t
        JOIN {Program._meta.db_table} p ON p.id = t.program_id
        WHERE p.sponsor_id = %(sponsor)s AND (%(employer)s::uuid IS NULL OR t.employer_id = %(employer)s::uuid)
        GROUP BY t.program_id, t.employer_id, t.status
    )
    SELECT 'totals' AS part, GROUPING(g.program_id), g.program_id, p.title, g.employer_id, e.name, g.status,
           SUM(g.apprenticeships)::bigint, SUM(g.ojt), SUM(g.rti), SUM(g.logs)::bigint
    FROM per_program_and_employer g
    JOIN {Program._meta.db_table} p ON p.id = g.program_id
    JOIN {Employer._meta.db_table} e ON e.id = g.employer_id
    GROUP BY GROUPING SETS ((g.program_id, p.title, g.status), (g.employer_id, e.name, g.status))
  UNION ALL
    SELECT 'milestones', GROUPING(m.program_id), m.program_id, NULL, m.employer_id, NULL, NULL,
           COUNT(*), NULL, NULL, NULL
    FROM {Milestone._meta.db_table} m
    JOIN {Program._meta.db_table} p ON p.id = m.program_id
    WHERE m.status = %(pending)s AND p.sponsor_id = %(sponsor)s
      AND (%(employer)s::uuid IS NULL OR m.employer_id = %(employer)s::uuid)
    GROUP BY GROUPING SETS ((m.program_id), (m.employer_id))
  UNION ALL
    SELECT 'partners', 0, NULL, NULL, NULL, NULL, NULL, COUNT(*), NULL, NULL, NULL
    FROM {Participation._meta.db_table} WHERE sponsor_id = %(sponsor)s
  UNION ALL
    SELECT 'aid', 0, NULL, NULL, NULL, NULL, NULL,
           COUNT(DISTINCT a.apprentice_id) FILTER (WHERE r.status = %(paid)s),
           COALESCE(SUM(r.amount_approved) FILTER (WHERE r.status = %(approved)s), 0.00),
           COALESCE(SUM(r.amount_approved) FILTER (WHERE r.status = %(paid)s), 0.00), NULL
    FROM {AidRequest._meta.db_table} r
    JOIN {Apprenticeship._meta.db_table} a ON a.id = r.apprenticeship_id
    JOIN {Program._meta.db_table} p ON p.id = a.program_id
    WHERE p.sponsor_id = %(sponsor)s AND (%(employer)s::uuid IS NULL OR a.employer_id = %(employer)s::uuid)
  UNION ALL
    SELECT 'investment', 0, NULL, f.source, NULL, NULL, NULL, NULL, SUM(f.amount), NULL, NULL
    FROM {Fund._meta.db_table} f WHERE f.sponsor_id = %(sponsor)s
    GROUP BY f.source
    ORDER BY part, title
"""


def summary_reads(*, sponsor_id, employer_id=None) -> SummaryReads:
    """The figures of a sponsor's (or one employer's) summary but the funders'."""
    if connection.vendor != "postgresql":
        return plain_summary_reads(sponsor_id=sponsor_id, employer_id=employer_id)
    reads = SummaryReads([], [], [], [], 1, {})
    partners, aid, investment = 0, {}, []
    params = {
        "sponsor": sponsor_id,
        "employer": employer_id,
        "pending": MilestoneStatus.PENDING,
        "approved": AidStatus.APPROVED,
        "paid": AidStatus.PAID,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SUMMARY_READS, params)
        for part, by_employer, program_id, title, group_employer_id, name, *numbers in cursor.fetchall():
            count, first_sum, second_sum = numbers[1:4]
            if part == "totals":
                if by_employer:
                    reads.by_employer.append((group_employer_id, name, *numbers))
                else:
                    reads.by_program.append((program_id, title, *numbers))
            elif part == "milestones":
                if by_employer:
                    reads.pending_milestones_by_employer.append((group_employer_id, count))
                else:
                    reads.pending_milestones_by_program.append((program_id, count))
            elif part == "partners":
                partners = count
            elif part == "aid":
                aid = {"disbursed": second_sum, "committed": first_sum, "participants_served": count}
            else:  # investment: the source in the title's place, its funds' amount in OJT's
                investment.append((title, first_sum))
    reads.worker_equity_fund.update(investment=investment_from(investment), aid=aid)
    return reads._replace(partners=1 if employer_id is not None else partners)


def plain_summary_reads(*, sponsor_id, employer_id=None) -> SummaryReads:
    totals = HourTotals.objects.filter(program__sponsor_id=sponsor_id)
    pending = Milestone.objects.filter(status=MilestoneStatus.PENDING, program__sponsor_id=sponsor_id)
    if employer_id is not None:
        totals = totals.filter(employer_id=employer_id)
        pending = pending.filter(employer_id=employer_id)
    sums = {
        "n": Count("apprenticeship_id"),
        "ojt": Sum("ojt_approved"),
        "rti": Sum("rti_approved"),
        "pending_logs": Sum("pending_logs"),
    }
    return SummaryReads(
        list(totals.values_list("program_id", "program__title", "status").annotate(**sums).order_by()),
        list(totals.values_list("employer_id", "employer__name", "status").annotate(**sums).order_by()),
        list(pending.values_list("program_id").annotate(n=Count("id")).order_by()),
        list(pending.values_list("employer_id").annotate(n=Count("id")).order_by()),
        1 if employer_id is not None else Participation.objects.filter(sponsor_id=sponsor_id).count(),
        aid_summary(sponsor_id=sponsor_id, employer_id=employer_id),
    )
