CREATE TABLE "class_members" (
	"class_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_members_class_id_user_id_pk" PRIMARY KEY("class_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "classes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"teacher_id" uuid NOT NULL,
	"name" text NOT NULL,
	"join_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "classes_join_code_unique" UNIQUE("join_code")
);
--> statement-breakpoint
CREATE TABLE "dataset_chunks" (
	"dataset_id" uuid NOT NULL,
	"start_row" integer NOT NULL,
	"row_count" integer NOT NULL,
	"features" "bytea" NOT NULL,
	"labels" "bytea" NOT NULL,
	CONSTRAINT "dataset_chunks_dataset_id_start_row_pk" PRIMARY KEY("dataset_id","start_row")
);
--> statement-breakpoint
CREATE TABLE "dataset_shares" (
	"dataset_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"shared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_shares_dataset_id_class_id_pk" PRIMARY KEY("dataset_id","class_id")
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "feature_encoding" text DEFAULT 'float32' NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "visibility" text DEFAULT 'private' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_checkpoints" ADD COLUMN "optimizer_specs" jsonb;--> statement-breakpoint
ALTER TABLE "run_checkpoints" ADD COLUMN "optimizer_data" "bytea";--> statement-breakpoint
ALTER TABLE "run_metrics" ADD COLUMN "extra" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "notes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "class_members" ADD CONSTRAINT "class_members_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_members" ADD CONSTRAINT "class_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_teacher_id_users_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_chunks" ADD CONSTRAINT "dataset_chunks_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_shares" ADD CONSTRAINT "dataset_shares_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_shares" ADD CONSTRAINT "dataset_shares_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "class_members_user_idx" ON "class_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "classes_teacher_idx" ON "classes" USING btree ("teacher_id");--> statement-breakpoint
CREATE INDEX "dataset_shares_class_idx" ON "dataset_shares" USING btree ("class_id");--> statement-breakpoint
-- Datasets uploaded before chunks existed keep their numbers as one chunk.
INSERT INTO "dataset_chunks" ("dataset_id", "start_row", "row_count", "features", "labels") SELECT "id", 0, "train_size" + "validation_size" + "test_size", "features", "labels" FROM "datasets";--> statement-breakpoint
ALTER TABLE "datasets" DROP COLUMN "features";--> statement-breakpoint
ALTER TABLE "datasets" DROP COLUMN "labels";