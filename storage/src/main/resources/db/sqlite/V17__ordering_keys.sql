-- Issue 15: an endpoint may ask that pending deliveries of state types be superseded by newer
-- events of the same type and ordering key (collapse). Ordering keys themselves reuse
-- events.subject_key and events.sequence (V3): the catalog now says which subject fields make the key.
ALTER TABLE endpoints ADD COLUMN collapse BOOLEAN NOT NULL DEFAULT 0;
