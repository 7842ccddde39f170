-- Training settings moved from model cells into training cells of their own (notebook format 2,
-- blocks/spec/notebook-migrations.ts): each older model cell "X" gets a training cell "train-X"
-- right after it when its notebook is next read. Every run so far was started from a model cell,
-- so each moves to that cell's training cell and a cell's run history stays with it.
UPDATE "runs" SET "cell_id" = 'train-' || "cell_id";
