-- A compatibility settings route (99digital setWebhook, 360dialog webhook_url) manages one endpoint
-- per partner and format: the row with role 'default'. Two calls at once must not make two of them.
CREATE UNIQUE INDEX endpoints_one_default_per_format ON endpoints (partner_id, format)
    WHERE role = 'default' AND deleted_at IS NULL;
