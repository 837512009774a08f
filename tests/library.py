"""A generated library of realistic postmortems, for tests, screenshots and benchmarks.

    documents = generate(60, seed=12)            # postmortem/v1 documents
    ids = build(store, 60, seed=12)              # the same, saved

Each postmortem comes from one of a dozen incident scenarios (connection pools,
DNS, certificates, memory leaks, bad deploys, queues, caches, ...), with its own
services, tags, timeline, 5 Whys, fishbone with root causes, response lessons
and action items, and randomised times, people, severities and statuses. About
one in twelve misses a milestone (no detection, no resolution, or no start), a
few use blaming language, some action items are overdue or unowned, and some
incidents recur: what the library-wide features exist to find.

Everything is drawn from one seeded ``random.Random``, so a seed gives the same
library every time; dates are placed relative to ``today``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

TODAY = dt.date(2026, 11, 28)

PEOPLE = [
    "Priya Raman",
    "Tom Okafor",
    "Sam Lee",
    "Ana Costa",
    "Wei Zhang",
    "Lena Fischer",
    "Marcus Bell",
    "Aisha Khan",
    "Jonas Berg",
    "Chloé Martin",
]
ZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC"]
SEVERITY_WEIGHTS = [("SEV1", 1), ("SEV2", 3), ("SEV3", 5), ("SEV4", 2), ("SEV5", 1)]


@dataclass(frozen=True)
class Scenario:
    titles: tuple[str, ...]
    services: tuple[str, ...]
    tags: tuple[str, ...]
    trigger: str
    symptom: str
    detection: str
    diagnosis: tuple[str, ...]
    fix: str
    whys: tuple[str, ...]
    causes: dict[str, tuple[tuple[str, bool], ...]]
    actions: tuple[tuple[str, str, str], ...]  # (title, kind, priority)
    impact: str


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        titles=(
            "Checkout 502s after connection pool change",
            "Checkout latency from exhausted PgBouncer pool",
        ),
        services=("checkout-api", "pgbouncer", "payments-gateway"),
        tags=("database", "config-change", "latency"),
        trigger="Config PR merged: pool_size 80 -> 20 for checkout-api",
        symptom="p99 latency of POST /checkout above 2 s; load balancer returns 502s",
        detection="Alert CheckoutLatencyHigh fires (p99 > 5 s for 5 min)",
        diagnosis=(
            "Pod CPU normal; waiting on the connection pool, not compute",
            "pgbouncer SHOW POOLS: cl_waiting 340, sv_active 20/20",
        ),
        fix="Reverted the pool size; 502s stop",
        whys=(
            "checkout-api requests timed out waiting for a database connection",
            "The PgBouncer pool was cut from 80 to 20 connections",
            "Pool sizes are not derived from each service's measured concurrency",
            "There is no load test gate for connection limits",
        ),
        causes={
            "Process": (("Config PRs skip the load test stage", True),),
            "Code & Config": (("One pool size applied to every service", True),),
            "Monitoring": (("No alert on pgbouncer cl_waiting", False),),
        },
        actions=(
            ("Derive pool sizes from measured peak concurrency", "prevent", "P1"),
            ("Alert on pgbouncer cl_waiting above 50", "detect", "P0"),
            ("Run load tests for config PRs touching pools", "prevent", "P2"),
        ),
        impact="About 18% of checkout attempts failed; clients retried.",
    ),
    Scenario(
        titles=("DNS resolution failures in eu-west", "Internal DNS outage after resolver upgrade"),
        services=("coredns", "api-gateway", "search-api"),
        tags=("dns", "network", "upgrade"),
        trigger="CoreDNS upgraded to a version with a changed cache plugin default",
        symptom="SERVFAIL for internal names; requests between services fail",
        detection="Synthetic check for api.internal fails from three regions",
        diagnosis=(
            "dig against the new resolvers times out for *.svc names",
            "Cache plugin config silently dropped by the upgrade",
        ),
        fix="Rolled CoreDNS back to the previous release",
        whys=(
            "Services could not resolve each other's names",
            "CoreDNS dropped the forward block after the upgrade",
            "The upgrade notes were not read for config changes",
            "Resolver upgrades have no canary stage",
        ),
        causes={
            "Infrastructure": (("Resolver upgrade applied to every zone at once", True),),
            "Process": (("No canary for DNS changes", True),),
            "Tooling": (("Config diff not shown during rollout", False),),
        },
        actions=(
            ("Canary CoreDNS upgrades in one zone first", "prevent", "P1"),
            ("Add a synthetic DNS probe per cluster", "detect", "P1"),
            ("Document the DNS rollback procedure", "mitigate", "P2"),
        ),
        impact="Search and recommendations unavailable for most EU users.",
    ),
    Scenario(
        titles=(
            "Expired TLS certificate on the public API",
            "Mobile app login fails: expired cert",
        ),
        services=("api-gateway", "auth-service"),
        tags=("tls", "certificates", "expiry"),
        trigger="The wildcard certificate for api.example.com expired at 00:00 UTC",
        symptom="Clients fail the TLS handshake; mobile login fails",
        detection="Support tickets about login failures pile up",
        diagnosis=(
            "openssl s_client shows the certificate expired today",
            "Renewal job had been failing silently for 30 days",
        ),
        fix="Issued and deployed a new certificate by hand",
        whys=(
            "The certificate expired",
            "The renewal job failed without alerting anyone",
            "The job's failures only went to a log nobody reads",
        ),
        causes={
            "Monitoring": (("No alert on certificate expiry", True),),
            "Tooling": (("Renewal job errors only logged", True),),
        },
        actions=(
            ("Alert 21 days before any certificate expires", "detect", "P0"),
            ("Page on renewal job failure", "detect", "P1"),
            ("Move certificates to automated ACME renewal", "prevent", "P1"),
        ),
        impact="No customer could log in on mobile for the duration.",
    ),
    Scenario(
        titles=("Memory leak in the recommendations service", "OOM kills in recommendations"),
        services=("recommendations", "feature-store"),
        tags=("memory", "deploy", "kubernetes"),
        trigger="Release 4.12 of recommendations deployed",
        symptom="Pods OOM-killed every 20 minutes; recommendations empty",
        detection="Alert PodRestartsHigh for recommendations",
        diagnosis=(
            "Heap profile shows an unbounded LRU cache",
            "Cache size setting ignored since the config refactor",
        ),
        fix="Rolled back to release 4.11",
        whys=(
            "Pods ran out of memory",
            "An in-process cache grew without bound",
            "The size limit was read from a renamed config key",
            "No test covers the cache size limit",
        ),
        causes={
            "Code & Config": (("Renamed config key left the default unbounded", True),),
            "Process": (("Soak tests skipped for a minor release", False),),
        },
        actions=(
            ("Add a test for the cache size limit", "prevent", "P2"),
            ("Fail start-up on unknown config keys", "prevent", "P1"),
            ("Alert on memory growth slope per pod", "detect", "P2"),
        ),
        impact="Recommendations missing on the home page; conversion down 4%.",
    ),
    Scenario(
        titles=("Kafka consumer lag delays order emails", "Order confirmations hours late"),
        services=("orders-consumer", "kafka", "email-service"),
        tags=("queue", "kafka", "backlog"),
        trigger="A partition rebalance loop started after a broker restart",
        symptom="Consumer lag above 2 million messages; emails hours late",
        detection="Customer complaints on social media about missing confirmations",
        diagnosis=(
            "Consumers rebalance every 40 s: session timeout too low",
            "max.poll.interval exceeded by slow email rendering",
        ),
        fix="Raised max.poll.interval and scaled consumers",
        whys=(
            "Order emails were delayed by hours",
            "Consumers kept rebalancing and processed little",
            "Slow message handling exceeded the poll interval",
        ),
        causes={
            "Code & Config": (("Poll interval shorter than worst-case handling", True),),
            "Monitoring": (("No alert on consumer lag", True),),
        },
        actions=(
            ("Alert on consumer lag above 10 minutes", "detect", "P1"),
            ("Move email rendering out of the consumer", "prevent", "P2"),
        ),
        impact="About 40,000 confirmation emails arrived 2-5 hours late.",
    ),
    Scenario(
        titles=("Disk full on the primary database", "Database writes fail: disk full"),
        services=("postgres-primary", "orders-api"),
        tags=("database", "disk", "capacity"),
        trigger="WAL archiving stalled after the archive bucket's credentials rotated",
        symptom="Writes fail with 'could not extend file'; orders cannot be placed",
        detection="Alert PostgresWriteErrors fires",
        diagnosis=(
            "pg_wal holds 900 GB of unarchived segments",
            "archive_command failing with AccessDenied since Tuesday",
        ),
        fix="Restored archive credentials; WAL drained; space freed",
        whys=(
            "The database disk filled up",
            "WAL segments could not be archived and piled up",
            "Credentials rotated without updating the archiver",
            "Credential rotation has no list of consumers",
        ),
        causes={
            "Process": (("Credential rotation without a consumer inventory", True),),
            "Monitoring": (("No alert on archive_command failures", True),),
            "Infrastructure": (("Disk sized without WAL headroom", False),),
        },
        actions=(
            ("Alert on failed WAL archiving", "detect", "P0"),
            ("Inventory every consumer of rotated credentials", "process", "P1"),
            ("Add 30% disk headroom for WAL", "mitigate", "P2"),
        ),
        impact="No orders could be placed for the duration; about 2,100 carts abandoned.",
    ),
    Scenario(
        titles=("Cache stampede after Redis failover", "Redis failover overloads the database"),
        services=("redis", "catalog-api", "postgres-primary"),
        tags=("cache", "failover", "latency"),
        trigger="Redis primary failed over during maintenance",
        symptom="Cold cache sends every read to the database; catalog times out",
        detection="Alert CatalogErrorRate fires",
        diagnosis=(
            "Database CPU at 100%: identical queries from every pod",
            "No request coalescing on cache misses",
        ),
        fix="Enabled request coalescing and warmed the cache",
        whys=(
            "Catalog requests timed out",
            "The database was overloaded by cache misses",
            "Every pod refilled the same keys at once",
        ),
        causes={
            "Code & Config": (("No request coalescing on cache misses", True),),
            "Process": (("Maintenance without cache warm-up plan", False),),
        },
        actions=(
            ("Coalesce concurrent cache misses per key", "prevent", "P1"),
            ("Warm the cache before planned failovers", "process", "P2"),
        ),
        impact="Product pages failed for about a third of visitors.",
    ),
    Scenario(
        titles=("Bad feature flag disables payments", "Payments off after flag rollout"),
        services=("payments-gateway", "flag-service"),
        tags=("feature-flag", "config-change", "payments"),
        trigger="Flag new_3ds_flow enabled for 100% instead of 1%",
        symptom="Card payments declined with 3DS errors",
        detection="Alert PaymentSuccessRate below 80%",
        diagnosis=(
            "Declines started the minute the flag changed",
            "The new 3DS flow lacks a config for two card networks",
        ),
        fix="Flag turned off; payments recover",
        whys=(
            "Card payments failed",
            "The new 3DS flow was enabled for everyone",
            "The flag UI has no guard for percentage changes",
        ),
        causes={
            "Tooling": (("Flag changes apply instantly to 100%", True),),
            "Process": (("No staged rollout for payment flags", True),),
        },
        actions=(
            ("Require a staged rollout for payment flags", "prevent", "P0"),
            ("Show flag changes on the payments dashboard", "detect", "P2"),
        ),
        impact="About 9% of payment attempts declined.",
    ),
    Scenario(
        titles=("Rate limiter blocks legitimate traffic", "API 429s after limiter config push"),
        services=("api-gateway", "rate-limiter"),
        tags=("rate-limit", "config-change", "availability"),
        trigger="Rate limiter rules pushed with per-IP limits meant for per-user",
        symptom="Customers behind corporate NAT get 429 Too Many Requests",
        detection="Spike in 429 responses on the edge dashboard",
        diagnosis=("Limits keyed by IP, not by API key",),
        fix="Rolled back the limiter rules",
        whys=(
            "Customers were rate limited",
            "Limits applied per IP address",
            "The rule schema accepts either key silently",
        ),
        causes={
            "Tooling": (("Rule schema allows ambiguous keys", True),),
            "Process": (("Limiter rules not reviewed by API owners", False),),
        },
        actions=(
            ("Validate limiter rules against recorded traffic", "prevent", "P1"),
            ("Alert on 429 ratio by customer", "detect", "P2"),
        ),
        impact="Enterprise customers behind NAT could not use the API.",
    ),
    Scenario(
        titles=("Search index corruption after reindex", "Search returns empty results"),
        services=("search-api", "elasticsearch"),
        tags=("search", "data", "migration"),
        trigger="Nightly reindex swapped the alias to an empty index",
        symptom="Search returns no results for every query",
        detection="On-call notices zero results on the search dashboard",
        diagnosis=("The reindex job's bulk step failed but the alias swap ran",),
        fix="Alias pointed back at the previous index",
        whys=(
            "Search returned nothing",
            "The alias pointed at an empty index",
            "The swap step doesn't check the document count",
        ),
        causes={
            "Code & Config": (("Alias swap without a document count check", True),),
            "Monitoring": (("No alert on zero-result rate", False),),
        },
        actions=(
            ("Check the document count before swapping aliases", "prevent", "P1"),
            ("Alert when zero-result searches exceed 20%", "detect", "P1"),
        ),
        impact="Search unusable; browse traffic up, orders down 6%.",
    ),
    Scenario(
        titles=("Cloud region network partition", "Partial outage in us-east"),
        services=("api-gateway", "orders-api", "kafka"),
        tags=("cloud-provider", "network", "availability"),
        trigger="Provider network event in one availability zone",
        symptom="Elevated errors and timeouts from one zone",
        detection="Alert ZoneErrorRate for us-east-1b",
        diagnosis=("Provider status page confirms packet loss in one zone",),
        fix="Drained the affected zone",
        whys=(
            "Requests failed in one zone",
            "Traffic kept flowing to the impaired zone",
            "Zone drain is manual and slow",
        ),
        causes={
            "Dependencies": (("Provider network event", False),),
            "Process": (("Zone drain is a manual runbook", True),),
        },
        actions=(
            ("Automate zone drain on sustained error rate", "mitigate", "P1"),
            ("Game day: drain a zone every quarter", "process", "P3"),
        ),
        impact="About 12% of requests failed for the duration.",
    ),
    Scenario(
        titles=("Batch job overloads the reporting database", "Reports time out at month end"),
        services=("reporting", "postgres-replica"),
        tags=("database", "batch", "capacity"),
        trigger="Month-end batch started with 4x the usual parallelism",
        symptom="Replica lag above 30 minutes; dashboards stale; reports time out",
        detection="Finance reports the month-end report missing",
        diagnosis=("Batch parallelism raised in a refactor",),
        fix="Paused the batch and resumed with lower parallelism",
        whys=(
            "Reports timed out",
            "The replica was saturated by the batch",
            "Batch parallelism is not capped",
        ),
        causes={
            "Code & Config": (("Uncapped batch parallelism", True),),
            "Monitoring": (("Replica lag alert threshold too high", False),),
        },
        actions=(
            ("Cap batch parallelism per database", "prevent", "P2"),
            ("Alert on replica lag above 5 minutes", "detect", "P2"),
        ),
        impact="Month-end financial reports delayed by a day.",
    ),
)

# A few postmortems are written the way blameless guides warn against.
BLAMING = (
    "Human error: the on-call engineer should have checked the dashboard",
    "The reviewer was careless and approved the change",
    "{person} failed to follow the runbook",
)
RESPONSE_WELL = (
    "The alert fired within minutes of impact",
    "Rollback was quick once the cause was known",
    "The incident channel kept stakeholders informed",
    "Runbook steps worked as written",
)
RESPONSE_WRONG = (
    "Responders looked at compute before the real cause",
    "The change had no owner on call",
    "Status page updated late",
    "Escalation took longer than expected",
)
RESPONSE_LUCKY = (
    "Traffic was low at the time",
    "An expert happened to be online",
    "Retries were idempotent, so no data was lost",
)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _document(rng: random.Random, n: int, today: dt.date) -> dict[str, Any]:
    scenario = rng.choice(SCENARIOS)
    days_ago = rng.randint(1, 720)
    start = dt.datetime.combine(
        today - dt.timedelta(days=days_ago), dt.time(rng.randint(0, 23), rng.randint(0, 59))
    ).replace(tzinfo=dt.UTC)
    ttd = dt.timedelta(minutes=rng.randint(2, 60))
    ttm = ttd + dt.timedelta(minutes=rng.randint(5, 180))
    ttr = ttm + dt.timedelta(minutes=rng.randint(0, 600))
    missing = rng.random()
    people = rng.sample(PEOPLE, 4)
    lead, second, third, fourth = people
    timeline: list[dict[str, Any]] = [
        {
            "at": _iso(start - dt.timedelta(minutes=rng.randint(5, 60))),
            "kind": "action",
            "text": scenario.trigger,
            "actor": "deploy-bot",
        },
    ]
    if missing >= 0.03:
        timeline.append(
            {"at": _iso(start), "kind": "started", "text": scenario.symptom, "actor": ""}
        )
    if missing >= 0.08 or missing < 0.03:
        timeline.append(
            {
                "at": _iso(start + ttd),
                "kind": "detected",
                "text": scenario.detection,
                "actor": "Alertmanager",
            }
        )
    timeline.append(
        {
            "at": _iso(start + ttd + dt.timedelta(minutes=2)),
            "kind": "notified",
            "text": "PagerDuty pages the on-call",
            "actor": "PagerDuty",
        }
    )
    timeline.append(
        {
            "at": _iso(start + ttd + dt.timedelta(minutes=5)),
            "kind": "responded",
            "text": "Acknowledged; investigating",
            "actor": lead,
        }
    )
    step = (ttm - ttd) / (len(scenario.diagnosis) + 2)
    for i, note in enumerate(scenario.diagnosis, 1):
        timeline.append(
            {
                "at": _iso(start + ttd + step * i + dt.timedelta(minutes=5)),
                "kind": "note",
                "text": note,
                "actor": rng.choice((lead, second)),
            }
        )
    timeline.append(
        {
            "at": _iso(start + ttd + dt.timedelta(minutes=7)),
            "kind": "communication",
            "text": "Status page: investigating degraded service",
            "actor": second,
        }
    )
    timeline.append(
        {"at": _iso(start + ttm), "kind": "mitigated", "text": scenario.fix, "actor": lead}
    )
    if not 0.05 <= missing < 0.08:
        timeline.append(
            {
                "at": _iso(start + ttr),
                "kind": "resolved",
                "text": "Error rates at baseline; incident closed",
                "actor": second,
            }
        )
    for k in range(rng.randint(2, 8)):
        timeline.append(
            {
                "at": _iso(start + ttd + step * (k + 1) / 2 + dt.timedelta(minutes=6)),
                "kind": rng.choice(("note", "action", "communication")),
                "text": rng.choice(
                    (
                        "Checked recent deploys; nothing else changed",
                        "Scaled the service up; no improvement",
                        "Incident channel opened, IC handed over",
                        f"Asked {third} to join the call",
                        "Customer support briefed",
                        "Dashboards show errors concentrated in one region",
                    )
                ),
                "actor": rng.choice((lead, second, third)),
            }
        )
    whys = list(scenario.whys)
    blaming = rng.random() < 0.08
    if blaming:
        whys.append(rng.choice(BLAMING).format(person=fourth.split()[0]))
    categories = [
        {
            "name": name,
            "causes": [{"text": text, "root_cause": root, "causes": []} for text, root in causes],
        }
        for name, causes in scenario.causes.items()
    ]
    age = days_ago
    actions = []
    for title, kind, priority in scenario.actions:
        due = today - dt.timedelta(days=days_ago) + dt.timedelta(days=rng.randint(7, 60))
        if age > 200:
            status = rng.choice(("done", "done", "done", "wont_do", "open"))
        elif age > 60:
            status = rng.choice(("done", "done", "in_progress", "open"))
        else:
            status = rng.choice(("open", "open", "in_progress", "done"))
        owner = rng.choice((*people[:3], ""))  # about one in four unowned
        actions.append(
            {
                "title": title,
                "owner": owner,
                "due": None if rng.random() < 0.1 else due.isoformat(),
                "priority": priority,
                "kind": kind,
                "status": status,
                "ticket": f"{rng.choice(('PLAT', 'OBS', 'OPS', 'SEC'))}-{rng.randint(100, 9999)}",
            }
        )
    severity = rng.choices(
        [s for s, _ in SEVERITY_WEIGHTS], weights=[w for _, w in SEVERITY_WEIGHTS]
    )[0]
    title = rng.choice(scenario.titles)
    return {
        "format": "postmortem/v1",
        "title": f"{title} (#{n + 1})",
        "severity": severity,
        "status": "final" if age > 45 else rng.choice(("draft", "in_review", "final")),
        "timezone": rng.choice(ZONES),
        "summary": (
            f"{scenario.trigger}. {scenario.symptom}. {scenario.fix}. {scenario.impact} "
            f"Written by {lead} and {second}."
        ),
        "authors": [lead, second],
        "services": list(scenario.services),
        "tags": list(scenario.tags),
        "timeline": timeline,
        "why_chains": [{"problem": scenario.symptom, "whys": whys}],
        "fishbone": {"effect": scenario.symptom, "categories": categories},
        "impact": {
            "description": scenario.impact,
            "users_affected": rng.randint(50, 200_000),
            "support_tickets": rng.randint(0, 400),
            "slo_budget_consumed_pct": round(rng.uniform(0.5, 120.0), 1),
            "revenue_impact": "",
            "data_loss": "None",
        },
        "response": {
            "went_well": rng.sample(RESPONSE_WELL, 2),
            "went_wrong": rng.sample(RESPONSE_WRONG, 2),
            "lucky": rng.sample(RESPONSE_LUCKY, 1),
        },
        "action_items": actions,
    }


def generate(count: int, *, seed: int = 12, today: dt.date = TODAY) -> list[dict[str, Any]]:
    """``count`` postmortem/v1 documents, the same for the same seed and day."""
    rng = random.Random(seed)
    return [_document(rng, n, today) for n in range(count)]


def build(store: Any, count: int, *, seed: int = 12, today: dt.date = TODAY) -> list[int]:
    """Save ``count`` generated postmortems into ``store``; returns their ids."""
    from models.interchange import from_document

    return [store.save_new(from_document(doc)) for doc in generate(count, seed=seed, today=today)]


_BUILT: dict[tuple[int, int, dt.date], Any] = {}


def copy_of(dest: Any, count: int, *, seed: int = 12, today: dt.date = TODAY) -> Any:
    """A database file at ``dest`` holding the generated library, built once per test
    process and copied (SQLite's backup API) for each test that asks: building 60
    postmortems through the store takes seconds, copying the file milliseconds."""
    import sqlite3
    import tempfile
    from pathlib import Path

    from models.store import open_store

    key = (count, seed, today)
    if key not in _BUILT:
        folder = Path(tempfile.mkdtemp(prefix="postmortem-library-"))
        template = folder / f"library-{count}-{seed}.db"
        store = open_store(str(template))
        build(store, count, seed=seed, today=today)
        store.close()
        _BUILT[key] = template
    source = sqlite3.connect(_BUILT[key])
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return Path(dest)
