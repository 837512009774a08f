"""The demo postmortem: a realistic incident with every section filled.

Written in the interchange format, so building the demo also exercises import.
`postmortem demo` loads it into its own database, never the user's library.
"""

from __future__ import annotations

from typing import Any

DEMO: dict[str, Any] = {
    "format": "postmortem/v1",
    "title": "Checkout 502s after connection pool change",
    "severity": "SEV2",
    "status": "in_review",
    "timezone": "Europe/London",
    "summary": (
        "On Friday 27 November a configuration change lowered the **PgBouncer pool size** for "
        "`checkout-api` from 80 to 20 connections. Under the lunchtime peak, requests queued for "
        "a connection, p99 latency rose above 8 s and the load balancer returned 502s to about "
        "18% of checkout attempts for 52 minutes.\n\n"
        "The change was rolled back at 14:47. Payments that failed were retried by clients; "
        "no orders were lost, but about 18,400 customers saw an error at least once."
    ),
    "authors": ["Priya Raman", "Tom Okafor"],
    "services": ["checkout-api", "pgbouncer", "payments-gateway"],
    "tags": ["database", "config-change", "latency"],
    "timeline": [
        {
            "at": "2026-11-27T13:41:00Z",
            "kind": "action",
            "text": "Config PR #4821 merged: pool_size 80 -> 20 for checkout-api",
            "actor": "deploy-bot",
        },
        {
            "at": "2026-11-27T13:55:00Z",
            "kind": "started",
            "text": "p99 latency of POST /checkout climbs above 2 s as lunchtime traffic ramps",
            "actor": "",
        },
        {
            "at": "2026-11-27T14:02:00Z",
            "kind": "note",
            "text": "First 502s logged by the load balancer",
            "actor": "",
        },
        {
            "at": "2026-11-27T14:06:00Z",
            "kind": "detected",
            "text": "Alert CheckoutLatencyHigh fires (p99 > 5 s for 5 min)",
            "actor": "Alertmanager",
        },
        {
            "at": "2026-11-27T14:08:00Z",
            "kind": "notified",
            "text": "PagerDuty pages the payments on-call",
            "actor": "PagerDuty",
        },
        {
            "at": "2026-11-27T14:11:00Z",
            "kind": "responded",
            "text": "Acknowledged; investigating checkout dashboards",
            "actor": "Tom Okafor",
        },
        {
            "at": "2026-11-27T14:15:00Z",
            "kind": "communication",
            "text": "Status page: degraded checkout performance",
            "actor": "Priya Raman",
        },
        {
            "at": "2026-11-27T14:19:00Z",
            "kind": "action",
            "text": "Scaled checkout-api from 12 to 20 pods; no improvement",
            "actor": "Tom Okafor",
        },
        {
            "at": "2026-11-27T14:26:00Z",
            "kind": "note",
            "text": "Pod CPU normal; DB CPU normal. Waiting on connection pool, not compute",
            "actor": "Tom Okafor",
        },
        {
            "at": "2026-11-27T14:33:00Z",
            "kind": "communication",
            "text": "Incident channel opened, IC handed to Priya",
            "actor": "Priya Raman",
        },
        {
            "at": "2026-11-27T14:38:00Z",
            "kind": "note",
            "text": "pgbouncer SHOW POOLS: cl_waiting 340, sv_active 20/20",
            "actor": "Sam Lee",
        },
        {
            "at": "2026-11-27T14:41:00Z",
            "kind": "action",
            "text": "Found PR #4821 in the change log; decided to revert",
            "actor": "Sam Lee",
        },
        {
            "at": "2026-11-27T14:47:00Z",
            "kind": "mitigated",
            "text": "Revert deployed; pool back to 80, 502s stop",
            "actor": "deploy-bot",
        },
        {
            "at": "2026-11-27T14:58:00Z",
            "kind": "note",
            "text": "p99 latency back under 400 ms",
            "actor": "",
        },
        {
            "at": "2026-11-27T15:10:00Z",
            "kind": "communication",
            "text": "Status page: resolved",
            "actor": "Priya Raman",
        },
        {
            "at": "2026-11-27T15:30:00Z",
            "kind": "resolved",
            "text": "Queue drained, error rate at baseline for 30 min; incident closed",
            "actor": "Priya Raman",
        },
    ],
    "why_chains": [
        {
            "problem": "Customers got 502s at checkout for 52 minutes",
            "whys": [
                "checkout-api requests timed out waiting for a database connection",
                "The PgBouncer pool for checkout-api was cut from 80 to 20 connections",
                "A cost-saving PR lowered pool sizes for every service to the same value",
                "Pool sizes are not derived from each service's measured concurrency",
                "There is no capacity model or load test gate for connection limits",
            ],
        },
        {
            "problem": "It took 35 minutes from the page to finding the change",
            "whys": [
                "Responders looked at compute first and scaled pods",
                "Config changes do not appear on the service dashboards",
            ],
        },
    ],
    "fishbone": {
        "effect": "Checkout 502s for 52 minutes",
        "categories": [
            {
                "name": "People",
                "causes": [
                    {
                        "text": "Reviewer unfamiliar with checkout's traffic shape",
                        "root_cause": False,
                        "causes": [],
                    },
                ],
            },
            {
                "name": "Process",
                "causes": [
                    {
                        "text": "Config PRs skip the load test stage",
                        "root_cause": True,
                        "causes": [
                            {
                                "text": "Load tests only run for code changes",
                                "root_cause": False,
                                "causes": [],
                            },
                        ],
                    },
                    {
                        "text": "No staged rollout for pool settings",
                        "root_cause": False,
                        "causes": [],
                    },
                ],
            },
            {
                "name": "Tooling",
                "causes": [
                    {
                        "text": "Change log not linked from dashboards",
                        "root_cause": False,
                        "causes": [],
                    },
                ],
            },
            {
                "name": "Code & Config",
                "causes": [
                    {
                        "text": "One pool size applied to every service",
                        "root_cause": True,
                        "causes": [],
                    },
                ],
            },
            {
                "name": "Infrastructure",
                "causes": [
                    {
                        "text": "PgBouncer in transaction mode queues silently",
                        "root_cause": False,
                        "causes": [],
                    },
                ],
            },
            {"name": "Dependencies", "causes": []},
            {
                "name": "Monitoring",
                "causes": [
                    {
                        "text": "No alert on cl_waiting",
                        "root_cause": False,
                        "causes": [
                            {
                                "text": "pgbouncer exporter not deployed for checkout",
                                "root_cause": False,
                                "causes": [],
                            },
                        ],
                    },
                ],
            },
        ],
    },
    "impact": {
        "description": (
            "About 18% of checkout attempts failed between 13:55 and 14:47. Clients retried "
            "automatically, so most customers completed their order on a second try."
        ),
        "users_affected": 18400,
        "support_tickets": 212,
        "slo_budget_consumed_pct": 38.5,
        "revenue_impact": "≈ £41k of checkouts abandoned (estimate from funnel drop)",
        "data_loss": "None: failed payments were never captured, retries were idempotent",
    },
    "response": {
        "went_well": [
            "The latency alert fired 11 minutes after impact began",
            "Status page updated within 9 minutes of the page",
            "Revert took 6 minutes once the change was found",
        ],
        "went_wrong": [
            "35 minutes spent on compute before looking at the database pool",
            "The config change had no owner on call that afternoon",
            "Scaling pods added clients to an already exhausted pool",
        ],
        "lucky": [
            "Payment retries were idempotent, so nobody was charged twice",
            "Sam happened to be in the channel and knew the PgBouncer admin console",
        ],
    },
    "action_items": [
        {
            "title": "Derive per-service pool sizes from measured peak concurrency",
            "owner": "Sam Lee",
            "due": "2026-12-11",
            "priority": "P1",
            "kind": "prevent",
            "status": "in_progress",
            "ticket": "PLAT-1182",
        },
        {
            "title": "Run the load test stage for config PRs touching pools",
            "owner": "Priya Raman",
            "due": "2026-12-18",
            "priority": "P1",
            "kind": "prevent",
            "status": "open",
            "ticket": "PLAT-1183",
        },
        {
            "title": "Alert on pgbouncer cl_waiting > 50 for 2 min",
            "owner": "Tom Okafor",
            "due": "2026-11-25",
            "priority": "P0",
            "kind": "detect",
            "status": "open",
            "ticket": "OBS-77",
        },
        {
            "title": "Show deploys and config changes on service dashboards",
            "owner": "Tom Okafor",
            "due": "2027-01-15",
            "priority": "P2",
            "kind": "detect",
            "status": "open",
            "ticket": "OBS-78",
        },
        {
            "title": "Runbook: checkout latency, check the pool before scaling",
            "owner": "Priya Raman",
            "due": "2026-12-04",
            "priority": "P2",
            "kind": "mitigate",
            "status": "done",
            "ticket": "RUN-19",
        },
        {
            "title": "Require a service owner's approval on shared config changes",
            "owner": "",
            "due": None,
            "priority": "P3",
            "kind": "process",
            "status": "wont_do",
            "ticket": "",
        },
    ],
}
