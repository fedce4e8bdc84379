"""Course search: a small backend interface with PostgreSQL full-text search as the default.

The stored Course.search_vector is maintained by database triggers (migration 0003), so every
writer (admin, seed_demo, bulk inserts, raw SQL) keeps it current. A backend answers one
question: which published courses match this query and these filters, in what order, with
which snippet, and how many per facet value. Another engine (OpenSearch, Meilisearch) would
implement the same `search()` (courses.search.backend) and return the same `SearchResults`.

Modules: `filters` (what was asked), `backend` (the interface and its results), `postgres`
(the default engine), `analysis` (the tsquery and typo corrections of a query), `facets`
(stored, sampled and cached counts), `ranking` (the best matches from stored per-word
rankings). Migration 0010 keeps the per-word counts, rankings and title words current.
"""
