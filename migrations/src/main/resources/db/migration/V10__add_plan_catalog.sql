-- Plans the operator controls. A limit of NULL means "no limit". The service writes the plans its
-- configuration defines (tenancy.plans) into this table at start; a plan that was defined once and
-- is no longer configured stays here with available = 0, so the tenants on it keep its limits, but
-- no tenant can be moved onto it any more.
ALTER TABLE plans
  MODIFY max_apps           INT    NULL,
  MODIFY max_funnels        INT    NULL,
  MODIFY max_monthly_events BIGINT NULL,
  ADD COLUMN available TINYINT(1) NOT NULL DEFAULT 1;

-- Built in, never redefined by configuration: no limit at all.
INSERT INTO plans (code, name, max_apps, max_funnels, max_monthly_events, sort_order, available)
VALUES ('unlimited', 'Unlimited', NULL, NULL, NULL, 1000000, 1);
