-- Per-subject ordering: each event gets the next number of its (partner, subject) stream.
ALTER TABLE events ADD COLUMN subject_key TEXT NOT NULL DEFAULT 'partner';
ALTER TABLE events ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;

CREATE TABLE subject_sequences (
    partner_id  TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    last_value  BIGINT NOT NULL,
    PRIMARY KEY (partner_id, subject_key)
);
