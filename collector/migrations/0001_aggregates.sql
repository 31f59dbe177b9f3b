-- Everything the collector keeps: running sums per bucket, report counts, and
-- report ids for the replay window. No address, user agent or raw report.
-- Portable SQL: the same file runs on SQLite and PostgreSQL.

-- Per (site, period, metric, bucket): how many accepted reports had this bit set.
CREATE TABLE bucket_sums (
    site    TEXT   NOT NULL,
    period  TEXT   NOT NULL,
    metric  TEXT   NOT NULL,
    bucket  BIGINT NOT NULL,
    ones    BIGINT NOT NULL,
    PRIMARY KEY (site, period, metric, bucket)
);

-- Per (site, period, metric): how many reports were accepted (n).
CREATE TABLE report_counts (
    site    TEXT   NOT NULL,
    period  TEXT   NOT NULL,
    metric  TEXT   NOT NULL,
    reports BIGINT NOT NULL,
    PRIMARY KEY (site, period, metric)
);

-- Report ids seen within the replay window. The primary key makes a replay
-- lose the race at insert time, also between collector processes.
CREATE TABLE seen_report_ids (
    id           TEXT   NOT NULL PRIMARY KEY,
    received_day BIGINT NOT NULL
);

CREATE INDEX seen_report_ids_by_day ON seen_report_ids (received_day);
