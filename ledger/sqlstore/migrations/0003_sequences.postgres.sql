-- PostgreSQL's writers run concurrently, so journal seqs and key ids come from sequences
-- (SQLite's single writer takes MAX + 1). Within a block the sealer orders transactions
-- by seq; it holds the sealing lock exclusively, so every transaction of the heights it
-- seals has committed and that order is final.
CREATE SEQUENCE journal_seq;
SELECT setval('journal_seq', COALESCE(MAX(seq), 0) + 1, false) FROM journal;
CREATE SEQUENCE api_keys_seq;
SELECT setval('api_keys_seq', COALESCE(MAX(id), 0) + 1, false) FROM api_keys
