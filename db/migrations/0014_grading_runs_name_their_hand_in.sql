DROP INDEX "submissions_grading_run_idx";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "grades_submission_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_grades_submission_id_submissions_id_fk" FOREIGN KEY ("grades_submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_grades_submission_idx" ON "runs" USING btree ("grades_submission_id") WHERE "runs"."grades_submission_id" is not null;--> statement-breakpoint
-- Grading runs made before this column existed were told by their cell id, "grade:<hand-in id>",
-- which a student can give a cell of their own too. So a run counts as grading a hand-in when
-- the hand-in points at it, or when it has that hand-in's cell id, is on the hand-in's notebook
-- in the student's name, and no cell of that notebook has its cell id (a grading run belongs to no cell).
UPDATE "runs" SET "grades_submission_id" = "submissions"."id"
FROM "submissions"
WHERE "submissions"."grading_run_id" = "runs"."id";
--> statement-breakpoint
UPDATE "runs" SET "grades_submission_id" = "submissions"."id"
FROM "submissions", "notebooks"
WHERE "runs"."grades_submission_id" IS NULL
  AND "runs"."cell_id" = 'grade:' || "submissions"."id"::text
  AND "runs"."notebook_id" = "submissions"."notebook_id"
  AND "runs"."owner_id" = "submissions"."student_id"
  AND "notebooks"."id" = "runs"."notebook_id"
  AND NOT "notebooks"."cells" @> jsonb_build_array(jsonb_build_object('id', "runs"."cell_id"));
