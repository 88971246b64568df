-- Up Migration
-- Equipment a plan treats apart (domain/model.ts FacilityCategory): 生产建筑用钢的工频炉、中频炉
-- (地条钢, 30号文 (八)) are dismantled, never merely sealed. Null for every other facility.
ALTER TABLE facilities ADD COLUMN category text;

-- Down Migration
ALTER TABLE facilities DROP COLUMN category;
