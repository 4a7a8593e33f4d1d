-- A report's priority, set by staff (0 normal, 1 high, 2 urgent): shown in the queue, which
-- may be sorted by it (most urgent first, then by due date).
ALTER TABLE cases ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
