CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"class_id" uuid NOT NULL,
	"teacher_id" uuid NOT NULL,
	"source_notebook_id" uuid,
	"title" text NOT NULL,
	"cells" jsonb NOT NULL,
	"format_version" integer NOT NULL,
	"locked_cell_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"goals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"test_dataset" jsonb,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submission_weights" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"model_topology" jsonb NOT NULL,
	"weight_specs" jsonb NOT NULL,
	"weight_data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"notebook_id" uuid,
	"attempt" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"format_version" integer NOT NULL,
	"run_id" uuid NOT NULL,
	"cell_id" text NOT NULL,
	"spec" jsonb NOT NULL,
	"training" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"total_params" bigint NOT NULL,
	"backend" text,
	"locked_cell_issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"late_by_seconds" integer DEFAULT 0 NOT NULL,
	"grading_status" text DEFAULT 'queued' NOT NULL,
	"grading_run_id" uuid,
	"grading_error" text,
	"goal_results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"test_accuracy" double precision,
	"test_loss" double precision,
	"graded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notebooks" ADD COLUMN "assignment_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_teacher_id_users_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_source_notebook_id_notebooks_id_fk" FOREIGN KEY ("source_notebook_id") REFERENCES "public"."notebooks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_weights" ADD CONSTRAINT "submission_weights_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_notebook_id_notebooks_id_fk" FOREIGN KEY ("notebook_id") REFERENCES "public"."notebooks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_class_due_idx" ON "assignments" USING btree ("class_id","due_at");--> statement-breakpoint
CREATE INDEX "submissions_assignment_student_idx" ON "submissions" USING btree ("assignment_id","student_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_assignment_student_attempt_idx" ON "submissions" USING btree ("assignment_id","student_id","attempt");--> statement-breakpoint
CREATE INDEX "submissions_grading_idx" ON "submissions" USING btree ("grading_status") WHERE "submissions"."grading_status" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "notebooks" ADD CONSTRAINT "notebooks_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notebooks_assignment_owner_idx" ON "notebooks" USING btree ("assignment_id","owner_id") WHERE "notebooks"."assignment_id" is not null;--> statement-breakpoint
-- Weights compress poorly; stored out of line, uncompressed, like run_weights (see 0005).
ALTER TABLE "submission_weights" ALTER COLUMN "weight_data" SET STORAGE EXTERNAL;
